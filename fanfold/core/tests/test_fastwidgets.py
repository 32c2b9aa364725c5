"""The fast widgets render what Django's own widget templates render, escaping included."""

import re

import pytest
from django import forms

from fanfold.core.fastwidgets import (
    FastDateInput,
    FastEmailInput,
    FastHiddenInput,
    FastNumberInput,
    FastSelect,
    FastTextarea,
    FastTextInput,
)

CHOICES = [("", "Any"), ("a", "Alpha & <Beta>"), ('q"x', "Quote")]


def make_form(fast: bool, data):
    def pick(fast_widget, slow_widget, **kwargs):
        return (fast_widget if fast else slow_widget)(**kwargs)

    class Form(forms.Form):
        text = forms.CharField(
            required=False, max_length=10, widget=pick(FastTextInput, forms.TextInput)
        )
        number = forms.IntegerField(
            required=True, min_value=0, widget=pick(FastNumberInput, forms.NumberInput)
        )
        day = forms.DateField(
            required=False,
            widget=pick(FastDateInput, forms.DateInput, attrs={"type": "date", "class": "d"}),
        )
        choice = forms.ChoiceField(
            required=False, choices=CHOICES, widget=pick(FastSelect, forms.Select)
        )
        email = forms.CharField(required=False, widget=pick(FastEmailInput, forms.EmailInput))
        hidden = forms.IntegerField(required=False, widget=pick(FastHiddenInput, forms.HiddenInput))
        area = forms.CharField(
            required=False,
            strip=False,
            widget=pick(FastTextarea, forms.Textarea, attrs={"rows": 6, "maxlength": 50}),
        )

    return Form(data)


def normalise(html: str) -> str:
    # Only whitespace between and inside tags differs; attributes come in Django's order
    # (pages and tests read them in that order).
    return re.sub(r"\s+", " ", html).replace("> <", "><").replace(" >", ">")


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": 'x"<script>',
            "number": "12",
            "day": "2024-01-02",
            "choice": "a",
            "email": "a@b.c",
            "hidden": "4",
            "area": "line\n</textarea><script>x</script>",
        },
        {
            "text": "",
            "number": "-1",
            "day": "not a date",
            "choice": 'q"x',
            "email": '"<b>',
            "hidden": "x",
            "area": "",
        },
        {"choice": "missing"},
    ],
)
@pytest.mark.parametrize("field", ["text", "number", "day", "choice", "email", "hidden", "area"])
def test_fast_widgets_render_like_djangos(field, data):
    fast, slow = make_form(True, data), make_form(False, data)
    if data is not None:
        fast.is_valid(), slow.is_valid()
    assert normalise(str(fast[field])) == normalise(str(slow[field]))
    assert "<script>" not in str(fast[field])
