from django import forms

INBOX_ACTIONS = [("read", "Mark Read"), ("unread", "Mark Unread"), ("delete", "Delete")]


class InboxUpdateForm(forms.Form):
    items = forms.TypedMultipleChoiceField(coerce=int, required=False)
    action = forms.ChoiceField(choices=[*INBOX_ACTIONS, ("all_read", "Mark All Read")])

    def __init__(self, *args, item_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(pk, pk) for pk in item_ids]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") in ("read", "unread", "delete") and not cleaned.get("items"):
            raise forms.ValidationError("Please select at least one message first.")
        return cleaned


class PreferencesForm(forms.Form):
    comment_emails = forms.BooleanField(
        label="E-mail me comments on my works and replies to my comments",
        required=False,
        help_text="They always reach your inbox; this sends them by e-mail as well.",
    )
