"""Wrangling services: what each change does to the works a tag finds, who may make it, what
is refused (and then nothing is stored), and the audit log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from fanfold.tags import wrangling
from fanfold.tags.models import (
    FilterTagging,
    MetaTagging,
    ParentTagging,
    Tag,
    TagType,
    WranglingAction,
    WranglingChange,
)
from fanfold.tags.services import tags_find_or_create
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.django_db


def tag(name: str, type: str = TagType.RELATIONSHIP, canonical: bool = False) -> Tag:
    made = tags_find_or_create(names=[name], type=type)[0]
    if canonical and not made.canonical:
        made.canonical = True
        made.save()
    return made


def titles_found_by(name: str) -> list[str]:
    """The works a listing filtered by this tag finds: what H4b's listings read."""
    rows = FilterTagging.objects.filter(filter__name=name).select_related("work")
    return sorted(row.work.title for row in rows)


def actions(t: Tag) -> list[str]:
    return [change.action for change in WranglingChange.objects.filter(tag=t).order_by("pk")]


# --- Canonical -----------------------------------------------------------------------------


def test_making_tags_canonical_records_who_did_it(wrangler):
    a, b = tag("Mira/Tove"), tag("Ana/Bea")
    wrangling.tags_make_canonical(user=wrangler, tags=[a, b])
    a.refresh_from_db()
    assert a.canonical
    change = WranglingChange.objects.get(tag=a)
    assert change.user == wrangler and change.action == WranglingAction.CANONICAL
    assert actions(b) == [WranglingAction.CANONICAL]


@pytest.mark.parametrize("who", ["alice", "bob", "reader", "moderator"])
def test_only_wranglers_and_admins_wrangle(who, request, admin_user):
    user = request.getfixturevalue(who)
    a = tag("Mira/Tove")
    with pytest.raises(PermissionDenied):
        wrangling.tags_make_canonical(user=user, tags=[a])
    a.refresh_from_db()
    assert not a.canonical and not WranglingChange.objects.exists()
    wrangling.tags_make_canonical(user=admin_user, tags=[a])
    a.refresh_from_db()
    assert a.canonical


def test_a_mass_action_with_one_bad_tag_changes_none(wrangler):
    good = tag("Mira/Tove")
    fixed = Tag.objects.get(name="Mature")
    with pytest.raises(ValidationError) as exc:
        wrangling.tags_make_canonical(user=wrangler, tags=[good, fixed])
    assert "“Mature” is one of the archive's fixed Rating tags" in exc.value.messages[0]
    good.refresh_from_db()
    assert not good.canonical and not WranglingChange.objects.exists()


def test_a_tag_with_synonyms_stays_canonical_until_they_are_moved(wrangler):
    canonical = tag("Mira Holm/Tove Lind", canonical=True)
    synonym = tag("Mira/Tove")
    wrangling.tags_merge(user=wrangler, tags=[synonym], into=canonical)
    with pytest.raises(ValidationError) as exc:
        wrangling.tag_make_not_canonical(user=wrangler, tag=canonical)
    assert "has synonyms" in exc.value.messages[0]
    wrangling.tag_unmerge(user=wrangler, tag=synonym)
    wrangling.tag_make_not_canonical(user=wrangler, tag=canonical)
    canonical.refresh_from_db()
    assert not canonical.canonical


# --- Synonyms ------------------------------------------------------------------------------


def test_merging_a_synonym_makes_its_works_found_by_the_canonical_tag(alice, wrangler):
    make_work(alice, title="Short name", relationships=["Mira/Tove"])
    make_work(alice, title="Full name", relationships=["Mira Holm/Tove Lind"])
    canonical = tag("Mira Holm/Tove Lind", canonical=True)
    synonym = tag("Mira/Tove")
    assert titles_found_by("Mira Holm/Tove Lind") == ["Full name"]

    assert wrangling.tags_merge(user=wrangler, tags=[synonym], into=canonical) == 2
    assert titles_found_by("Mira Holm/Tove Lind") == ["Full name", "Short name"]
    synonym.refresh_from_db()
    assert synonym.merger == canonical and not synonym.canonical
    assert actions(synonym) == [WranglingAction.MERGE]
    assert actions(canonical) == [WranglingAction.MERGE]

    wrangling.tag_unmerge(user=wrangler, tag=synonym)
    assert titles_found_by("Mira Holm/Tove Lind") == ["Full name"]


def test_a_work_tagged_later_with_a_synonym_is_found_by_the_canonical(alice, wrangler):
    canonical = tag("Mira Holm/Tove Lind", canonical=True)
    wrangling.tags_merge(user=wrangler, tags=[tag("Mira/Tove")], into=canonical)
    make_work(alice, title="Later", relationships=["Mira/Tove"])
    assert titles_found_by("Mira Holm/Tove Lind") == ["Later"]


def test_tag_works_page_on_main_finds_works_of_synonyms_through_filters(alice, wrangler, client):
    # /tags/NAME/works is H4b's; whichever way it lists, the filter rows must be right.
    make_work(alice, title="Short name", relationships=["Mira/Tove"])
    canonical = tag("Mira Holm/Tove Lind", canonical=True)
    wrangling.tags_merge(user=wrangler, tags=[tag("Mira/Tove")], into=canonical)
    from fanfold.works.selectors import works_posted_visible_to

    found = works_posted_visible_to(None).filter(filter_taggings__filter=canonical)
    assert [work.title for work in found] == ["Short name"]


@pytest.mark.parametrize(
    ("into_name", "into_type", "into_canonical", "message"),
    [
        ("Mira Holm/Tove Lind", TagType.RELATIONSHIP, False, "is not canonical"),
        ("Mira Holm", TagType.CHARACTER, True, "synonyms must be of the same type"),
        ("Mature", None, True, "fixed Rating tags"),
    ],
)
def test_merging_into_a_tag_that_cannot_take_synonyms_is_refused(
    alice, wrangler, into_name, into_type, into_canonical, message
):
    make_work(alice, title="Short name", relationships=["Mira/Tove"])
    into = (
        Tag.objects.get(name=into_name)
        if into_type is None
        else tag(into_name, into_type, canonical=into_canonical)
    )
    synonym = Tag.objects.get(name="Mira/Tove")
    with pytest.raises(ValidationError) as exc:
        wrangling.tags_merge(user=wrangler, tags=[synonym], into=into)
    assert message in " ".join(exc.value.messages)
    synonym.refresh_from_db()
    assert synonym.merger is None
    assert not WranglingChange.objects.exists()
    assert titles_found_by(into_name) == []


def test_merging_a_tag_into_itself_or_a_fixed_tag_anywhere_is_refused(wrangler):
    canonical = tag("Mira Holm/Tove Lind", canonical=True)
    with pytest.raises(ValidationError) as exc:
        wrangling.tags_merge(user=wrangler, tags=[canonical], into=canonical)
    assert "can't be a synonym of itself" in exc.value.messages[0]
    other = tag("General Fluff", TagType.FREEFORM, canonical=True)
    with pytest.raises(ValidationError):
        wrangling.tags_merge(user=wrangler, tags=[Tag.objects.get(name="Gen")], into=other)


def test_no_chains_merging_a_canonical_tag_hands_over_its_synonyms_and_links(alice, wrangler):
    make_work(alice, title="Old synonym", relationships=["M/T"])
    old = tag("Mira/Tove", canonical=True)
    new = tag("Mira Holm/Tove Lind", canonical=True)
    meta = tag("Harbour Pairings", canonical=True)
    sub = tag("Mira/Tove (teen years)", canonical=True)
    fandom = tag("Harbour Tales", TagType.FANDOM, canonical=True)
    wrangling.tags_merge(user=wrangler, tags=[tag("M/T")], into=old)
    wrangling.tag_meta_add(user=wrangler, tag=old, meta=meta)
    wrangling.tag_meta_add(user=wrangler, tag=sub, meta=old)
    wrangling.tags_attach_to_parent(user=wrangler, tags=[old], parent=fandom)

    wrangling.tags_merge(user=wrangler, tags=[old], into=new)

    # The old synonym points straight at the new canonical tag: never a chain.
    assert Tag.objects.get(name="M/T").merger == new
    assert Tag.objects.get(name="Mira/Tove").merger == new
    assert MetaTagging.objects.filter(meta=meta, sub=new).exists()
    assert MetaTagging.objects.filter(meta=new, sub=sub).exists()
    assert not MetaTagging.objects.filter(sub=old).exists()
    assert not MetaTagging.objects.filter(meta=old).exists()
    assert ParentTagging.objects.filter(parent=fandom, child=new).exists()
    assert titles_found_by("Mira Holm/Tove Lind") == ["Old synonym"]
    assert titles_found_by("Harbour Pairings") == ["Old synonym"]


# --- Meta tags -----------------------------------------------------------------------------


def test_a_meta_tag_finds_the_works_of_its_sub_tags_at_any_depth(alice, wrangler):
    make_work(alice, title="Deep", freeforms=["Slow Burn (Very Slow)"])
    slowest = tag("Slow Burn (Very Slow)", TagType.FREEFORM, canonical=True)
    slow = tag("Slow Burn", TagType.FREEFORM, canonical=True)
    pace = tag("Pacing", TagType.FREEFORM, canonical=True)
    wrangling.tag_meta_add(user=wrangler, tag=slowest, meta=slow)
    wrangling.tag_meta_add(user=wrangler, tag=slow, meta=pace)
    assert titles_found_by("Pacing") == ["Deep"]
    assert FilterTagging.objects.get(filter=pace).inherited

    wrangling.tag_meta_remove(user=wrangler, tag=slow, meta=pace)
    assert titles_found_by("Pacing") == []
    assert titles_found_by("Slow Burn") == ["Deep"]


def test_meta_tag_cycles_other_types_and_non_canonical_tags_are_refused(wrangler):
    a = tag("Slow Burn", TagType.FREEFORM, canonical=True)
    b = tag("Pacing", TagType.FREEFORM, canonical=True)
    c = tag("Pace Notes", TagType.FREEFORM, canonical=True)
    wrangling.tag_meta_add(user=wrangler, tag=a, meta=b)
    wrangling.tag_meta_add(user=wrangler, tag=b, meta=c)
    refused = [
        (c, a, "would make a loop"),
        (a, a, "can't be its own meta tag"),
        (a, b, "is already a meta tag"),
        (a, tag("Mira Holm", TagType.CHARACTER, canonical=True), "must be of the same type"),
        (a, tag("Unsorted Pacing", TagType.FREEFORM), "is not canonical"),
    ]
    for sub, meta, message in refused:
        with pytest.raises(ValidationError) as exc:
            wrangling.tag_meta_add(user=wrangler, tag=sub, meta=meta)
        assert message in " ".join(exc.value.messages), (sub, meta)
    assert MetaTagging.objects.count() == 2
    with pytest.raises(ValidationError) as exc:
        wrangling.tag_meta_remove(user=wrangler, tag=a, meta=c)
    assert "is not a meta tag of" in exc.value.messages[0]


# --- Fandoms and media ---------------------------------------------------------------------


def test_characters_attach_to_canonical_fandoms_and_fandoms_to_media(wrangler):
    fandom = tag("Harbour Tales", TagType.FANDOM, canonical=True)
    character = tag("Mira Holm", TagType.CHARACTER)
    books = Tag.objects.get(name="Books & Literature")
    wrangling.tags_attach_to_parent(user=wrangler, tags=[character], parent=fandom)
    wrangling.tags_attach_to_parent(user=wrangler, tags=[fandom], parent=books)
    # Attaching again changes nothing and records nothing more.
    wrangling.tags_attach_to_parent(user=wrangler, tags=[character], parent=fandom)
    assert set(ParentTagging.objects.values_list("parent__name", "child__name")) == {
        ("Harbour Tales", "Mira Holm"),
        ("Books & Literature", "Harbour Tales"),
    }
    assert actions(character) == [WranglingAction.ATTACH]
    wrangling.tag_detach_from_parent(user=wrangler, tag=character, parent=fandom)
    assert not ParentTagging.objects.filter(child=character).exists()
    with pytest.raises(ValidationError):
        wrangling.tag_detach_from_parent(user=wrangler, tag=character, parent=fandom)


def test_attaching_to_the_wrong_kind_of_parent_is_refused(wrangler):
    fandom = tag("Harbour Tales", TagType.FANDOM, canonical=True)
    unwrangled_fandom = tag("Harbour Talez", TagType.FANDOM)
    character = tag("Mira Holm", TagType.CHARACTER)
    books = Tag.objects.get(name="Books & Literature")
    refused = [
        (character, books, "Character tags are attached to fandoms"),
        (character, unwrangled_fandom, "is not canonical"),
        (fandom, fandom, "is not a media category"),
        (Tag.objects.get(name="Gen"), fandom, "fixed Category tags"),
    ]
    for child, parent, message in refused:
        with pytest.raises(ValidationError) as exc:
            wrangling.tags_attach_to_parent(user=wrangler, tags=[child], parent=parent)
        assert message in " ".join(exc.value.messages), (child, parent)
    assert not ParentTagging.objects.exists()


# --- Unwrangleable and names ---------------------------------------------------------------


def test_unwrangleable_is_for_tags_not_wrangled_otherwise(wrangler):
    loose = tag("it's complicated", TagType.FREEFORM)
    wrangling.tags_set_unwrangleable(user=wrangler, tags=[loose])
    loose.refresh_from_db()
    assert loose.unwrangleable
    with pytest.raises(ValidationError) as exc:
        wrangling.tags_set_unwrangleable(user=wrangler, tags=[loose])
    assert "already marked unwrangleable" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        wrangling.tags_set_unwrangleable(
            user=wrangler, tags=[tag("Fluff", TagType.FREEFORM, canonical=True)]
        )
    assert "is canonical" in exc.value.messages[0]
    wrangling.tags_set_unwrangleable(user=wrangler, tags=[loose], unwrangleable=False)
    assert actions(loose) == [WranglingAction.UNWRANGLEABLE, WranglingAction.WRANGLEABLE]


def test_renaming_changes_capitalisation_only(wrangler):
    t = tag("harbour tales", TagType.FANDOM)
    wrangling.tag_rename(user=wrangler, tag=t, name="  Harbour   Tales ")
    t.refresh_from_db()
    assert t.name == "Harbour Tales"
    for name, message in [
        ("Harbour Stories", "by more than capitalisation"),
        ("Harbour Tales", "already called"),
        ("", "enter the tag's new name"),
    ]:
        with pytest.raises(ValidationError) as exc:
            wrangling.tag_rename(user=wrangler, tag=t, name=name)
        assert message in " ".join(exc.value.messages)
    t.refresh_from_db()
    assert t.name == "Harbour Tales"
    assert WranglingChange.objects.get(tag=t).detail == "from “harbour tales” to “Harbour Tales”"


# --- Rebuilding filters: now or in the background ------------------------------------------


def test_small_changes_rebuild_filters_at_once(alice, wrangler, django_capture_on_commit_callbacks):
    make_work(alice, title="One", relationships=["Mira/Tove"])
    canonical = tag("Mira Holm/Tove Lind", canonical=True)
    with django_capture_on_commit_callbacks(execute=False):
        wrangling.tags_merge(user=wrangler, tags=[tag("Mira/Tove")], into=canonical)
        # Found inside the wrangler's own transaction, before anything runs on commit.
        assert titles_found_by("Mira Holm/Tove Lind") == ["One"]


@override_settings(FANFOLD_WRANGLING_SYNC_LIMIT=1)
def test_large_changes_rebuild_in_a_background_task_after_commit(
    alice, wrangler, django_capture_on_commit_callbacks
):
    make_work(alice, title="One", relationships=["Mira/Tove"])
    make_work(alice, title="Two", relationships=["Mira/Tove"])
    canonical = tag("Mira Holm/Tove Lind", canonical=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        wrangling.tags_merge(user=wrangler, tags=[tag("Mira/Tove")], into=canonical)
        # Not rebuilt inside the wrangler's request...
        assert titles_found_by("Mira Holm/Tove Lind") == []
    # ...but by the task enqueued once the change commits (tests run tasks at once).
    for callback in callbacks:
        callback()
    assert titles_found_by("Mira Holm/Tove Lind") == ["One", "Two"]
