"""Filter sets: a work is found by its own tags, their canonical tags and every meta tag above
them, and the stored sets follow changes to the work's tags and to the wrangling."""

import pytest

from fanfold.tags.filters import filter_sets_for_tags, filters_rebuild_for_tags
from fanfold.tags.models import FilterTagging, MetaTagging, Tag
from fanfold.testing.factories import make_work
from fanfold.works.services import work_update

pytestmark = pytest.mark.django_db


def found_by(work) -> dict[str, bool]:
    return {
        row.filter.name: row.inherited
        for row in FilterTagging.objects.filter(work=work).select_related("filter")
    }


def test_a_new_work_is_found_by_each_of_its_tags(alice):
    work = make_work(alice, fandoms=["Harbour Tales"], freeforms=["Fluff"])
    assert found_by(work) == {
        "Harbour Tales": False,
        "Fluff": False,
        "General Audiences": False,
        "No Archive Warnings Apply": False,
    }


def test_synonyms_and_meta_tags_are_followed_to_the_top(alice):
    work = make_work(alice, relationships=["Clark/Lex"])
    synonym = Tag.objects.get(name="Clark/Lex")
    canonical = Tag.objects.create(
        name="Clark Kent/Lex Luthor", type="relationship", canonical=True
    )
    meta = Tag.objects.create(name="Superman Pairings", type="relationship", canonical=True)
    top = Tag.objects.create(name="DC Pairings", type="relationship", canonical=True)
    synonym.merger = canonical
    synonym.save()
    MetaTagging.objects.create(meta=meta, sub=canonical)
    MetaTagging.objects.create(meta=top, sub=meta)

    assert filters_rebuild_for_tags([synonym.pk, canonical.pk]) == 1
    found = found_by(work)
    assert found["Clark/Lex"] is False
    assert found["Clark Kent/Lex Luthor"] is False
    assert found["Superman Pairings"] is True
    assert found["DC Pairings"] is True


def test_a_meta_tag_cycle_does_not_hang(alice):
    a = Tag.objects.create(name="A Tag", type="freeform", canonical=True)
    b = Tag.objects.create(name="B Tag", type="freeform", canonical=True)
    MetaTagging.objects.create(meta=a, sub=b)
    MetaTagging.objects.create(meta=b, sub=a)
    assert filter_sets_for_tags([a.pk]) == {a.pk: {a.pk: False, b.pk: True}}


def test_retagging_a_work_replaces_its_filters(alice):
    work = make_work(alice, fandoms=["Harbour Tales"], freeforms=["Fluff"])
    work_update(work=work, user=alice, freeforms=["Angst"])
    found = found_by(work)
    assert "Angst" in found and "Fluff" not in found


def test_undoing_a_synonym_removes_the_canonical_filter(alice):
    work = make_work(alice, relationships=["Clark/Lex"])
    synonym = Tag.objects.get(name="Clark/Lex")
    canonical = Tag.objects.create(
        name="Clark Kent/Lex Luthor", type="relationship", canonical=True
    )
    synonym.merger = canonical
    synonym.save()
    filters_rebuild_for_tags([synonym.pk, canonical.pk])
    synonym.merger = None
    synonym.save()
    filters_rebuild_for_tags([synonym.pk, canonical.pk])
    assert "Clark Kent/Lex Luthor" not in found_by(work)
