from django import forms

from .models import ReportCategory, ReportStatus
from .services import MAX_SUSPENSION_DAYS


class ReportForm(forms.Form):
    url = forms.CharField(
        label="Address of the page", max_length=500, help_text="The page you are reporting."
    )
    category = forms.ChoiceField(
        label="What is the problem?", choices=ReportCategory.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label="Describe the problem", widget=forms.Textarea(attrs={"rows": 6})
    )
    email = forms.EmailField(
        label="Your e-mail (optional)", required=False,
        help_text="Only moderators see it, to answer you.",
    )  # fmt: skip
    # A honeypot: hidden from people by the stylesheet, filled in by bots that fill every box.
    website = forms.CharField(
        required=False, label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )  # fmt: skip


class ReportStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ReportStatus.choices)
    note = forms.CharField(label="Note (for other moderators)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class HideWorkForm(forms.Form):
    reason = forms.CharField(label="Reason (the creators see it)", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class HideCommentForm(forms.Form):
    reason = forms.CharField(label="Reason (the comment's writer sees it)", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class SuspendForm(forms.Form):
    days = forms.IntegerField(label="Days", min_value=1, max_value=MAX_SUSPENSION_DAYS, initial=7)
    reason = forms.CharField(label="Reason (the user is told)", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class BanForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    delete_works = forms.BooleanField(
        label="Also delete the works they created (spam)", required=False
    )


class SpamForm(forms.Form):
    reports: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label="Reason", max_length=500, required=False)

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = queryset
