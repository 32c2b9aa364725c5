"""Series forms; the rules (lengths, who may) live in fanfold.series.services."""

from django import forms

from .services import MAX_NOTES, MAX_SUMMARY, MAX_TITLE


class SeriesForm(forms.Form):
    title = forms.CharField(
        label="Series Title",
        max_length=MAX_TITLE,
        error_messages={"required": "Please give the series a title."},
    )
    summary = forms.CharField(
        label="Series Summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"At most {MAX_SUMMARY:,} characters. HTML is allowed.",
    )
    notes = forms.CharField(
        label="Series Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"At most {MAX_NOTES:,} characters. HTML is allowed.",
    )
    is_complete = forms.BooleanField(label="Series is complete", required=False)


class AddToSeriesForm(forms.Form):
    """Add a work to one of the writer's series, or to a new one named here."""

    series = forms.TypedChoiceField(label="Add to series", coerce=int, required=False)
    new_title = forms.CharField(
        label="…or start a new series called", max_length=MAX_TITLE, required=False
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = [("", "Choose a series")] + [
            (series.pk, series.title) for series in choices
        ]

    def clean(self):
        data = super().clean()
        if not data.get("series") and not (data.get("new_title") or "").strip():
            raise forms.ValidationError("Please choose one of your series or name a new one.")
        return data


class SeriesOrderForm(forms.Form):
    """The series' Manage page: a position number for every work."""

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = list(parts)
        for part in self.parts:
            self.fields[f"position_{part.work_id}"] = forms.IntegerField(
                label=f"Position of {part.work.title}",
                initial=part.position,
                min_value=1,
                widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
                error_messages={
                    "required": "Please give every work a position number.",
                    "invalid": "Please give every work a position number.",
                    "min_value": "Position numbers start at 1.",
                },
            )

    def rows(self):
        return [(part, self[f"position_{part.work_id}"]) for part in self.parts]

    def work_ids(self) -> list[int]:
        """The works sorted by the numbers typed; a tie keeps the current order."""
        return [
            part.work_id
            for part in sorted(
                self.parts,
                key=lambda p: (self.cleaned_data[f"position_{p.work_id}"], p.position),
            )
        ]
