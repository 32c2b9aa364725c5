"""fast_reverse builds the same URLs as reverse() for the names people give tags and pseuds."""

import pytest
from django.urls import NoReverseMatch, reverse

from fanfold.core.links import fast_reverse

ODD_NAMES = [
    "Harbour Tales",
    "A & B",
    "Ünïcode ✓ 東京",
    "100% Fluff",
    "a?b#c",
    "Kaka's",
    "x:y@z",
    "tab\tname",
    "[brackets]",
    "plus+sign",
    'quote"d',
    "%2F",
    "fanfoldplaceholder1",
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_tag_links_match_reverse(name):
    assert fast_reverse("tag_works", name) == reverse("tag_works", args=[name])


@pytest.mark.parametrize("name", ODD_NAMES)
def test_links_with_two_arguments_match_reverse(name):
    assert fast_reverse("pseud_detail", "fanfoldplaceholder0", name) == reverse(
        "pseud_detail", args=["fanfoldplaceholder0", name]
    )


def test_a_value_reverse_refuses_is_refused_too():
    with pytest.raises(NoReverseMatch):
        fast_reverse("tag_works", "a/b")
    with pytest.raises(NoReverseMatch):
        fast_reverse("tag_works", "")
