"""The reading selectors: which works each viewer gets from every list, and the loaders the
pages use. alice writes; bob is another writer (the stranger), reader a plain account."""

import pytest
from django.contrib.auth.models import AnonymousUser

from fanfold.accounts.services import pseud_create
from fanfold.blocking.services import user_mute
from fanfold.tags.models import Tag
from fanfold.testing.factories import make_work
from fanfold.works import selectors
from fanfold.works.models import Work
from fanfold.works.services import ChapterInput, chapter_create, work_hide

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_works(alice):
    """One posted, one restricted and one draft work by alice, all in one fandom."""
    return {
        "posted": make_work(alice, title="Posted", fandoms=["Harbour Tales"]),
        "restricted": make_work(
            alice, title="Restricted", fandoms=["Harbour Tales"], is_restricted=True
        ),
        "draft": make_work(alice, title="Draft", fandoms=["Harbour Tales"], post=False),
    }


def titles(works) -> set[str]:
    return {work.title for work in works}


def viewer(name, request):
    return AnonymousUser() if name == "guest" else request.getfixturevalue(name)


# What each viewer may see of alice's three works in any list of posted works: drafts never
# (even alice's own drafts are only on her drafts page), restricted works only when logged in.
EXPECTED = {
    "guest": {"Posted"},
    "reader": {"Posted", "Restricted"},
    "bob": {"Posted", "Restricted"},
    "alice": {"Posted", "Restricted"},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_list_shows_each_viewer_only_what_they_may_see(who, alice, alices_works, request):
    user = viewer(who, request)
    pseud = alice.pseuds.get(is_default=True)
    tag = Tag.objects.get(name="Harbour Tales")
    assert titles(selectors.work_list_newest(user=user, limit=10)) == EXPECTED[who]
    assert titles(selectors.work_list_posted(viewer=user)) == EXPECTED[who]
    assert titles(selectors.work_list_for_user(owner=alice, viewer=user)) == EXPECTED[who]
    assert titles(selectors.work_list_for_pseud(pseud=pseud, viewer=user)) == EXPECTED[who]
    assert titles(selectors.work_list_for_tag(tag=tag, viewer=user)) == EXPECTED[who]
    assert selectors.work_list_for_tag(tag=tag, viewer=user).count() == len(EXPECTED[who])


@pytest.mark.parametrize("who", list(EXPECTED))
def test_a_tags_works_are_its_listing_rows_works_without_hidden_or_muted_ones(
    who, alice, bob, moderator, alices_works, request
):
    user = viewer(who, request)
    hidden = make_work(alice, title="Hidden", fandoms=["Harbour Tales"])
    work_hide(work=hidden, moderator=moderator, reason="Under review.")
    bobs = make_work(bob, title="Bob's", fandoms=["Harbour Tales"])
    if who == "reader":
        user_mute(user=user, muted=bob)
    tag = Tag.objects.get(name="Harbour Tales")
    expected = EXPECTED[who] | ({"Bob's"} if who != "reader" else set())
    works = selectors.works_listed_for_tag(tag=tag, viewer=user)
    assert titles(works) == expected
    rows = selectors.listing_rows_for_tag(tag_id=tag.pk, viewer=user)
    assert set(rows.values_list("work_id", flat=True)) == set(works.values_list("pk", flat=True))
    assert hidden.pk not in set(works.values_list("pk", flat=True))
    assert (bobs in works) == (who != "reader")


@pytest.mark.parametrize("who", list(EXPECTED))
def test_posted_visible_matches_the_models_visibility_rule(who, alice, alices_works, request):
    user = viewer(who, request)
    make_work(request.getfixturevalue("bob"), title="Bob's draft", post=False)
    # Listings leave out hidden works even for their creators (who open them from the link
    # the moderators' notice gives); the model's rule lets creators open them.
    visible = Work.objects.visible_to(user).posted().filter(is_hidden=False)
    expected = set(visible.values_list("pk", flat=True))
    assert set(selectors.works_posted_visible_to(user).values_list("pk", flat=True)) == expected


def test_drafts_list_holds_only_the_owners_drafts(alice, bob, alices_works):
    make_work(bob, title="Bob's draft", post=False)
    assert titles(selectors.work_list_drafts(owner=alice)) == {"Draft"}
    assert titles(selectors.work_list_drafts(owner=bob)) == {"Bob's draft"}


def test_lists_are_newest_first_by_date_updated(alice):
    older = make_work(alice, title="Older", chapters=1, expected_chapters=None)
    make_work(alice, title="Middle")
    make_work(alice, title="Newest")
    assert [w.title for w in selectors.work_list_posted(viewer=alice)] == [
        "Newest",
        "Middle",
        "Older",
    ]
    # A new chapter updates the work, which moves it to the top.
    chapter_create(work=older, user=alice, chapter=ChapterInput(content="<p>More.</p>"))
    assert [w.title for w in selectors.work_list_newest(user=None, limit=2)] == [
        "Older",
        "Newest",
    ]


def test_newest_is_limited(alice):
    for _ in range(4):
        make_work(alice)
    assert len(selectors.work_list_newest(user=alice, limit=3)) == 3


def test_a_work_under_two_of_a_users_pseuds_is_listed_once(alice):
    second = pseud_create(user=alice, name="Tidewriter")
    default = alice.pseuds.get(is_default=True)
    make_work(alice, title="Both names", pseuds=[default, second])
    make_work(alice, title="Only second", pseuds=[second])
    assert [w.title for w in selectors.work_list_for_user(owner=alice, viewer=None)] == [
        "Only second",
        "Both names",
    ]
    assert titles(selectors.work_list_for_pseud(pseud=default, viewer=None)) == {"Both names"}
    assert titles(selectors.work_list_for_pseud(pseud=second, viewer=None)) == {
        "Both names",
        "Only second",
    }


def test_co_created_work_is_in_both_creators_lists(alice, bob):
    bobs = bob.pseuds.get(is_default=True)
    alices = alice.pseuds.get(is_default=True)
    make_work(alice, title="Together", pseuds=[alices, bobs])
    assert titles(selectors.work_list_for_user(owner=bob, viewer=None)) == {"Together"}
    assert titles(selectors.work_list_for_user(owner=alice, viewer=None)) == {"Together"}


def test_blurb_loader_runs_a_fixed_number_of_queries(alice, django_assert_num_queries):
    for number in range(5):
        make_work(alice, relationships=[f"A/B{number}"], characters=["A", f"B{number}"])
    # The works, their taggings with tags, their creatorships with pseuds and users.
    with django_assert_num_queries(3):
        works = list(selectors.work_list_posted(viewer=None))
        for work in works:
            work.tags_by_type()
            [str(c.pseud) + c.pseud.get_absolute_url() for c in work.creatorships.all()]


def test_work_for_reading_hides_drafts_from_all_but_the_creators(alice, bob, alices_works):
    draft = alices_works["draft"]
    assert selectors.work_get_for_reading(work_id=draft.pk, user=alice) == draft
    assert selectors.work_get_for_reading(work_id=draft.pk, user=bob) is None
    assert selectors.work_get_for_reading(work_id=draft.pk, user=AnonymousUser()) is None
    assert selectors.work_get_for_reading(work_id=999_999, user=alice) is None
    # Restricted works come back for guests too: the page asks them to log in.
    restricted = alices_works["restricted"]
    assert selectors.work_get_for_reading(work_id=restricted.pk, user=AnonymousUser())


def test_creator_check(alice, bob, alices_works):
    work = selectors.work_get_for_reading(work_id=alices_works["posted"].pk, user=alice)
    assert selectors.work_user_is_creator(work=work, user=alice)
    assert not selectors.work_user_is_creator(work=work, user=bob)
    assert not selectors.work_user_is_creator(work=work, user=AnonymousUser())


def test_chapters_for_reading_include_drafts_only_for_creators(alice):
    work = make_work(alice, chapters=2)
    draft = chapter_create(
        work=work, user=alice, chapter=ChapterInput(content="<p>Later.</p>"), post=False
    )
    reader_view = selectors.chapter_list_for_reading(work=work, is_creator=False)
    creator_view = selectors.chapter_list_for_reading(work=work, is_creator=True)
    assert [c.position for c in reader_view] == [1, 2]
    assert [c.position for c in creator_view] == [1, 2, 3]
    assert selectors.chapter_get_for_reading(work=work, chapter_id=draft.pk, is_creator=False) is (
        None
    )
    assert selectors.chapter_get_for_reading(work=work, chapter_id=draft.pk, is_creator=True)
    other = make_work(alice)
    other_chapter = other.chapters.get()
    assert (
        selectors.chapter_get_for_reading(work=work, chapter_id=other_chapter.pk, is_creator=True)
        is None
    )
