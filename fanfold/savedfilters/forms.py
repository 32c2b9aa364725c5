from django import forms


class SavedFilterForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name these filters")
    path = forms.CharField(max_length=500, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)


class ExclusionForm(forms.Form):
    tag_name = forms.CharField(required=False, max_length=100, label="Tag")
    creator_name = forms.CharField(required=False, max_length=150, label="Creator (user name)")
