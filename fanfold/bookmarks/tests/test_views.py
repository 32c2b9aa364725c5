"""Bookmark pages: making, editing and deleting one's own; a user's and a work's bookmarks;
nobody sees private bookmarks but their owner, nor bookmarks of works they may not see."""

import pytest
from django.test import Client

from fanfold.bookmarks.models import Bookmark
from fanfold.bookmarks.services import bookmark_create
from fanfold.series.services import series_add_work, series_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text
from fanfold.works.models import Work
from fanfold.works.services import work_hide

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(alice):
    return make_work(alice, title="Tides")


def test_bookmarking_from_the_form(bob, work, client_for):
    client = client_for(bob)
    response = client.post(
        f"/works/{work.pk}/bookmarks/new",
        {"notes": "Read it <em>twice</em>", "tags": "comfort, sea", "is_rec": "on"},
        follow=True,
    )
    assert "Bookmark was successfully created." in page_text(response)
    bookmark = Bookmark.objects.get()
    assert bookmark.tag_names == ["comfort", "sea"] and bookmark.is_rec
    assert Work.objects.get(pk=work.pk).bookmark_count == 1
    # The work page now offers to edit it, and a second bookmark goes to the edit form.
    assert "Edit Bookmark" in page_text(client.get(work.get_absolute_url()))
    assert client.get(f"/works/{work.pk}/bookmarks/new")["Location"] == (
        f"/bookmarks/{bookmark.pk}/edit"
    )


def test_a_hidden_work_offers_no_bookmark_form(alice, bob, moderator, work, client_for):
    work_hide(work=work, moderator=moderator, reason="Review.")
    path = f"/works/{work.pk}/bookmarks/new"
    for who in (alice, moderator):  # they still read it, and are told why not
        response = client_for(who).get(path)
        assert response.status_code == 403
        assert "hidden by moderators" in page_text(response)
        assert client_for(who).post(path, {"notes": "n"}).status_code == 403
    assert client_for(bob).get(path).status_code == 404  # to readers it isn't there
    assert not Bookmark.objects.exists()


def test_bad_input_shows_a_message_and_stores_nothing(bob, work, client_for):
    response = client_for(bob).post(
        f"/works/{work.pk}/bookmarks/new", {"notes": "x" * 5001, "tags": "a"}
    )
    assert response.status_code == 200
    assert "Notes must be at most 5,000 characters long" in page_text(response)
    assert not Bookmark.objects.exists()


def test_editing_and_deleting_ones_own(bob, work, client_for):
    bookmark = bookmark_create(user=bob, work=work, notes="first")
    client = client_for(bob)
    client.post(f"/bookmarks/{bookmark.pk}/edit", {"notes": "second", "is_private": "on"})
    bookmark.refresh_from_db()
    assert "second" in bookmark.notes and bookmark.is_private
    assert Work.objects.get(pk=work.pk).bookmark_count == 0
    assert "Are you sure" in page_text(client.get(f"/bookmarks/{bookmark.pk}/delete"))
    client.post(f"/bookmarks/{bookmark.pk}/delete")
    assert not Bookmark.objects.exists()


def test_others_may_not_edit_or_delete(alice, bob, work, client_for):
    bookmark = bookmark_create(user=bob, work=work)
    for path in (f"/bookmarks/{bookmark.pk}/edit", f"/bookmarks/{bookmark.pk}/delete"):
        assert client_for(alice).post(path, {"notes": "mine"}).status_code == 403
        assert Client().get(path)["Location"].startswith("/login")
    assert Bookmark.objects.filter(notes="").count() == 1


@pytest.mark.parametrize("who", ["guest", "alice", "reader"])
def test_nobody_sees_a_private_bookmark_but_its_owner(who, bob, work, request, client_for):
    bookmark = bookmark_create(user=bob, work=work, notes="my secret note", is_private=True)
    client = Client() if who == "guest" else client_for(request.getfixturevalue(who))
    for path in ("/users/bob/bookmarks", f"/works/{work.pk}/bookmarks"):
        assert "my secret note" not in page_text(client.get(path))
    assert client.get(f"/bookmarks/{bookmark.pk}").status_code == 404
    assert client.get(f"/bookmarks/{bookmark.pk}/edit").status_code in (302, 404)
    owner = client_for(bob)
    assert "my secret note" in page_text(owner.get("/users/bob/bookmarks"))
    assert "my secret note" in page_text(owner.get(f"/works/{work.pk}/bookmarks"))
    assert owner.get(f"/bookmarks/{bookmark.pk}").status_code == 200


def test_bookmarks_of_hidden_and_restricted_works_stay_out_of_sight(
    alice, bob, moderator, client_for
):
    hidden = make_work(alice, title="Under Review")
    locked = make_work(alice, title="Members Only", is_restricted=True)
    bookmark_create(user=bob, work=hidden, notes="about the hidden one")
    bookmark_create(user=bob, work=locked, notes="about the locked one")
    work_hide(work=hidden, moderator=moderator, reason="Review.")
    guest_page = page_text(Client().get("/users/bob/bookmarks"))
    assert "about the hidden one" not in guest_page and "about the locked one" not in guest_page
    assert "0 Bookmarks" in guest_page
    reader_page = page_text(client_for(alice).get("/users/bob/bookmarks"))
    assert "about the locked one" in reader_page
    assert Client().get(f"/works/{hidden.pk}/bookmarks").status_code == 404
    assert Client().get(f"/works/{locked.pk}/bookmarks")["Location"].startswith("/login")


def test_bookmark_tags_filter_a_users_bookmarks(alice, bob, client_for):
    bookmark_create(user=bob, work=make_work(alice, title="Sea Song"), tags="sea")
    bookmark_create(user=bob, work=make_work(alice, title="Hill Song"), tags="hills")
    page = page_text(Client().get("/users/bob/bookmarks?tag=SEA"))
    assert "Sea Song" in page and "Hill Song" not in page


def test_bookmarking_a_series(alice, bob, client_for):
    series = series_create(user=alice, title="Harbour Cycle")
    series_add_work(series=series, work=make_work(alice), user=alice)
    client = client_for(bob)
    client.post(f"/series/{series.pk}/bookmarks/new", {"notes": "the whole cycle"})
    assert "the whole cycle" in page_text(Client().get(f"/series/{series.pk}/bookmarks"))
    assert "Series: Harbour Cycle" in page_text(Client().get("/users/bob/bookmarks"))


def test_guests_are_sent_to_log_in_to_bookmark(work):
    assert Client().get(f"/works/{work.pk}/bookmarks/new")["Location"].startswith("/login")


def test_drafts_cannot_be_bookmarked(alice, bob, client_for):
    draft = make_work(alice, post=False)
    assert client_for(bob).get(f"/works/{draft.pk}/bookmarks/new").status_code == 404
    assert client_for(bob).post(f"/works/{draft.pk}/bookmarks/new", {}).status_code == 404


def test_a_bookmark_needs_nothing_filled_in(bob, work, client_for):
    client_for(bob).post(f"/works/{work.pk}/bookmarks/new", {})
    assert Bookmark.objects.filter(user=bob, work=work, notes="").exists()


def test_moderators_see_bookmarks_of_hidden_works_but_never_private_ones(
    alice, bob, reader, moderator, admin_user, client_for
):
    hidden = make_work(alice, title="Under Review")
    public = bookmark_create(user=bob, work=hidden, notes="about the hidden one")
    bookmark_create(user=reader, work=hidden, notes="my own secret", is_private=True)
    work_hide(work=hidden, moderator=moderator, reason="Review.")
    for user in (moderator, admin_user):
        client = client_for(user)
        assert "about the hidden one" in page_text(client.get("/users/bob/bookmarks"))
        work_page = page_text(client.get(f"/works/{hidden.pk}/bookmarks"))
        assert "about the hidden one" in work_page and "my own secret" not in work_page
        assert "my own secret" not in page_text(client.get("/users/reader/bookmarks"))
        assert client.get(f"/bookmarks/{public.pk}").status_code == 200
    for client in (Client(), client_for(reader)):
        assert "about the hidden one" not in page_text(client.get("/users/bob/bookmarks"))
        assert client.get(f"/bookmarks/{public.pk}").status_code == 404
    assert Client().get(f"/works/{hidden.pk}/bookmarks").status_code == 404
    assert client_for(reader).get(f"/works/{hidden.pk}/bookmarks").status_code == 404
