"""Forms of the wrangling screens. They only read input and find the tags named; the wrangling
services decide whether a change is allowed."""

from django import forms

from .models import FANDOM_CHILD_TYPES, USER_TAG_TYPES, Tag, TagType
from .selectors import tag_find_by_name


def _tag_input(autocomplete_type: str = "") -> forms.TextInput:
    attrs = {"autocomplete": "off", "autocapitalize": "off"}
    if autocomplete_type:
        attrs["data-tag-autocomplete"] = autocomplete_type
        attrs["data-tag-autocomplete-single"] = "true"
    return forms.TextInput(attrs=attrs)


class TagNameField(forms.CharField):
    """A field naming one tag already in the archive; cleans to the Tag."""

    def __init__(self, *, autocomplete_type: str = "", **kwargs):
        kwargs.setdefault("widget", _tag_input(autocomplete_type))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, value):
        name = super().clean(value)
        if not name:
            return None
        tag = tag_find_by_name(name)
        if tag is None:
            raise forms.ValidationError(f"There is no tag “{name.strip()}” in the archive.")
        return tag


class WrangleForm(forms.Form):
    """One action from a tag's edit page. Which fields matter depends on the action."""

    ACTIONS = [
        ("canonical", "Make canonical"),
        ("not_canonical", "Make not canonical"),
        ("merge", "Make a synonym of"),
        ("unmerge", "Remove from its canonical tag"),
        ("attach", "Attach to"),
        ("detach", "Detach from"),
        ("meta_add", "Add meta tag"),
        ("meta_remove", "Remove meta tag"),
        ("unwrangleable", "Mark unwrangleable"),
        ("wrangleable", "Unmark unwrangleable"),
        ("rename", "Change capitalisation"),
    ]
    NEEDS_TARGET = {"merge", "attach", "detach", "meta_add", "meta_remove"}

    action = forms.ChoiceField(choices=ACTIONS)
    target = TagNameField(label="Tag", required=False)
    name = forms.CharField(label="New name", required=False, max_length=200)

    def clean(self):
        data = super().clean()
        needs_target = data.get("action") in self.NEEDS_TARGET
        if needs_target and not data.get("target") and "target" not in self.errors:
            self.add_error("target", "Please name a tag.")
        return data


class QueueFilterForm(forms.Form):
    fandom = TagNameField(required=False)
    type = forms.ChoiceField(
        choices=[(t.value, t.label) for t in (TagType.FANDOM, *FANDOM_CHILD_TYPES)],
        initial=TagType.CHARACTER,
        required=False,
    )


class QueueActionForm(forms.Form):
    """A mass action on the tags ticked in a wrangling queue."""

    ACTIONS = [
        ("canonical", "Make canonical"),
        ("merge", "Make synonyms of"),
        ("attach", "Attach to fandom"),
        ("unwrangleable", "Mark unwrangleable"),
    ]
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.filter(type__in=USER_TAG_TYPES),
        error_messages={
            "required": "Please tick at least one tag.",
            "invalid_choice": "One of the ticked tags is no longer in the archive.",
            "invalid_pk_value": "One of the ticked tags is no longer in the archive.",
        },
    )
    action = forms.ChoiceField(choices=ACTIONS, label="With the ticked tags")
    target = TagNameField(label="Tag (for synonyms) or fandom (for attaching)", required=False)

    def clean(self):
        data = super().clean()
        needs_target = data.get("action") in {"merge", "attach"}
        if needs_target and not data.get("target") and "target" not in self.errors:
            self.add_error("target", "Please name the tag to merge into or attach to.")
        return data


class AutocompleteForm(forms.Form):
    term = forms.CharField(max_length=100)
    type = forms.ChoiceField(choices=[("", "any"), *TagType.choices], required=False)
