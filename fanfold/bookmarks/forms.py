"""The bookmark form; the rules (lengths, tag count, who may) live in bookmarks.services."""

from django import forms

from .services import MAX_NOTES


class BookmarkForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"At most {MAX_NOTES:,} characters. HTML is allowed.",
    )
    tags = forms.CharField(
        label="Your tags",
        required=False,
        help_text="Separate tags with commas. They are your own, for finding your bookmarks.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off"}),
    )
    is_rec = forms.BooleanField(label="Rec (recommend it to others)", required=False)
    is_private = forms.BooleanField(label="Private bookmark (only you see it)", required=False)
