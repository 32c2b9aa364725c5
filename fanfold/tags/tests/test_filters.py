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


def listing_copy(work) -> set[tuple]:
    """What the listings read of the work from its filter rows: (date, who it is listed for)."""
    return set(FilterTagging.objects.filter(work=work).values_list("revised_at", "listed"))


def test_filter_rows_follow_the_works_date_and_visibility(alice, moderator):
    from fanfold.tags.models import Listed
    from fanfold.works.models import Work
    from fanfold.works.services import (
        ChapterInput,
        chapter_create,
        work_hide,
        work_post,
        work_unhide,
    )

    draft = make_work(alice, post=False, fandoms=["Harbour Tales"])
    assert listing_copy(draft) == {(None, Listed.NOBODY)}

    work = work_post(work=draft, user=alice)
    assert listing_copy(work) == {(Work.objects.get(pk=work.pk).revised_at, Listed.EVERYONE)}

    chapter_create(work=work, user=alice, chapter=ChapterInput(content="<p>More words.</p>"))
    updated = Work.objects.get(pk=work.pk).revised_at
    assert listing_copy(work) == {(updated, Listed.EVERYONE)}

    work_update(work=work, user=alice, is_restricted=True)
    assert listing_copy(work) == {(updated, Listed.USERS)}

    work_hide(work=work, moderator=moderator, reason="Pending review of a report.")
    assert listing_copy(work) == {(updated, Listed.NOBODY)}
    work_unhide(work=work, moderator=moderator)
    assert listing_copy(work) == {(updated, Listed.USERS)}


def test_rows_added_by_retagging_carry_the_works_date_and_visibility(alice):
    from fanfold.tags.models import Listed
    from fanfold.works.models import Work

    work = make_work(alice, fandoms=["Harbour Tales"])
    work_update(work=work, user=alice, freeforms=["Hurt/Comfort"])
    revised_at = Work.objects.get(pk=work.pk).revised_at
    assert listing_copy(work) == {(revised_at, Listed.EVERYONE)}
    assert "Hurt/Comfort" in found_by(work)
