"""Bookmark services: who may bookmark what, bad input, and Work.bookmark_count always equal
to the public bookmarks behind it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.accounts.services import user_delete
from fanfold.bookmarks.models import Bookmark
from fanfold.bookmarks.services import (
    bookmark_create,
    bookmark_delete,
    bookmark_update,
    parse_bookmark_tags,
)
from fanfold.series.services import series_add_work, series_create
from fanfold.testing.factories import make_work
from fanfold.works.models import Work
from fanfold.works.services import work_hide, work_unhide

pytestmark = pytest.mark.django_db


def count(work) -> int:
    return Work.objects.get(pk=work.pk).bookmark_count


def public_rows(work) -> int:
    return Bookmark.objects.filter(work=work, is_private=False).count()


def test_public_bookmarks_count_and_private_ones_do_not(alice, bob, reader):
    work = make_work(alice)
    bookmark_create(user=bob, work=work, notes="Lovely <b>tide</b>", tags="sea, Sea , calm")
    bookmark_create(user=reader, work=work, is_private=True)
    assert count(work) == 1 == public_rows(work)
    bookmark = Bookmark.objects.get(user=bob)
    assert bookmark.tag_names == ["sea", "calm"]
    assert "<b>tide</b>" in bookmark.notes


def test_switching_private_and_deleting_keep_the_count(alice, bob):
    work = make_work(alice)
    bookmark = bookmark_create(user=bob, work=work)
    bookmark_update(bookmark=bookmark, user=bob, is_private=True)
    assert count(work) == 0 == public_rows(work)
    bookmark_update(bookmark=bookmark, user=bob, is_private=False, is_rec=True)
    assert count(work) == 1 == public_rows(work)
    bookmark_delete(bookmark=bookmark, user=bob)
    bookmark_delete(bookmark=bookmark, user=bob)  # a second click changes nothing
    assert count(work) == 0 == public_rows(work)


def test_notes_are_sanitized(alice, bob):
    work = make_work(alice)
    bookmark = bookmark_create(
        user=bob, work=work, notes='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    assert "script" not in bookmark.notes and "onclick" not in bookmark.notes
    assert "Hi" in bookmark.notes


def test_one_bookmark_per_work(alice, bob):
    work = make_work(alice)
    bookmark_create(user=bob, work=work)
    with pytest.raises(ValidationError, match="already bookmarked"):
        bookmark_create(user=bob, work=work)
    assert count(work) == 1


@pytest.mark.parametrize(
    ("notes", "tags", "field"),
    [
        ("x" * 5001, "", "notes"),
        ("", "y" * 101, "tags"),
        ("", ",".join(map(str, range(76))), "tags"),
    ],
)
def test_bad_input_stores_nothing(alice, bob, notes, tags, field):
    work = make_work(alice)
    with pytest.raises(ValidationError) as error:
        bookmark_create(user=bob, work=work, notes=notes, tags=tags)
    assert field in error.value.message_dict
    assert not Bookmark.objects.exists() and count(work) == 0


def test_nobody_bookmarks_what_they_cannot_see(alice, bob):
    draft = make_work(alice, post=False)
    restricted = make_work(alice, is_restricted=True)
    with pytest.raises(PermissionDenied):
        bookmark_create(user=bob, work=draft)
    with pytest.raises(PermissionDenied):
        bookmark_create(user=AnonymousUser(), work=restricted)
    bookmark_create(user=bob, work=restricted)  # logged-in users may
    with pytest.raises(PermissionDenied):  # not even one's own draft
        bookmark_create(user=alice, work=draft)


def test_a_hidden_work_is_bookmarked_by_nobody_until_it_is_back(alice, bob, moderator):
    work = make_work(alice)
    work_hide(work=work, moderator=moderator, reason="Review.")
    for user in (alice, bob, moderator):  # its creator and moderators still read it
        with pytest.raises(PermissionDenied):
            bookmark_create(user=user, work=work)
    with pytest.raises(PermissionDenied, match="hidden by moderators"):
        bookmark_create(user=alice, work=work)
    assert not Bookmark.objects.exists()
    work_unhide(work=work, moderator=moderator)
    bookmark_create(user=bob, work=work)
    assert Work.objects.get(pk=work.pk).bookmark_count == 1


def test_only_the_owner_changes_a_bookmark(alice, bob):
    bookmark = bookmark_create(user=bob, work=make_work(alice))
    with pytest.raises(PermissionDenied):
        bookmark_update(bookmark=bookmark, user=alice, notes="mine now")
    with pytest.raises(PermissionDenied):
        bookmark_delete(bookmark=bookmark, user=alice)
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()


def test_a_series_can_be_bookmarked_once_it_shows_a_work(alice, bob):
    series = series_create(user=alice, title="Harbour Cycle")
    with pytest.raises(PermissionDenied):
        bookmark_create(user=bob, series=series)  # nothing in it bob may see
    series_add_work(series=series, work=make_work(alice), user=alice)
    bookmark = bookmark_create(user=bob, series=series, is_rec=True)
    assert bookmark.series == series and bookmark.work is None


def test_deleting_an_account_takes_its_bookmarks_off_the_counts(alice, bob):
    work = make_work(alice)
    bookmark_create(user=bob, work=work)
    user_delete(user=bob, works="delete")
    assert count(work) == 0 == public_rows(work)


def test_tags_are_split_at_commas_once_each():
    assert parse_bookmark_tags(" a,, b ,A,  c  d ") == ["a", "b", "c d"]


def test_muted_users_bookmarks_and_bookmarks_of_their_works_leave_the_muters_lists(
    alice, bob, reader
):
    from fanfold.blocking.services import user_mute
    from fanfold.bookmarks.selectors import bookmark_list_for_user, bookmark_list_for_work

    alices_work = make_work(alice, title="Alice's")
    readers_work = make_work(reader, title="Reader's")
    bookmark_create(user=bob, work=alices_work, notes="Lovely.")
    bookmark_create(user=bob, work=readers_work)
    bookmark_create(user=reader, work=alices_work)
    user_mute(user=reader, muted=bob)
    assert list(bookmark_list_for_work(work=alices_work, viewer=reader).values_list(
        "user__username", flat=True)) == ["reader"]  # fmt: skip
    assert not bookmark_list_for_user(owner=bob, viewer=reader).exists()
    user_mute(user=bob, muted=alice)
    assert [b.work.title for b in bookmark_list_for_user(owner=bob, viewer=bob)] == ["Reader's"]
    # Others still see everything.
    assert bookmark_list_for_user(owner=bob, viewer=alice).count() == 2
