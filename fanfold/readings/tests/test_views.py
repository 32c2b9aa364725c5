"""History and Marked for Later: what the reading view records, the continue-reading link,
switching history off and clearing it, the reading list's buttons, and who may see them."""

import pytest
from django.test import Client

from fanfold.readings.models import MarkedForLater, ReadingEntry
from fanfold.readings.services import history_set_enabled, reading_record
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles, page_text
from fanfold.works.services import work_hide

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_work(alice):
    return make_work(alice, title="Long Voyage", chapters=3)


def test_opening_a_chapter_is_remembered_and_offered_on_the_front_page(
    reader, long_work, client_for
):
    client = client_for(reader)
    third = long_work.chapters.get(position=3)
    client.get(third.get_absolute_url())
    entry = ReadingEntry.objects.get(user=reader, work=long_work)
    assert entry.last_chapter == third
    front = client.get(long_work.get_absolute_url())
    assert "Continue reading at Chapter 3" in page_text(front)
    # Opening the front page again keeps the chapter to continue at.
    assert ReadingEntry.objects.get(user=reader, work=long_work).last_chapter == third
    assert "Continue reading" not in page_text(client.get(third.get_absolute_url()))


def test_recording_is_one_row_per_work_and_nothing_for_guests_or_drafts(alice, reader, long_work):
    reading_record(user=reader, work=long_work)
    reading_record(user=reader, work=long_work, chapter=long_work.chapters.first())
    Client().get(long_work.get_absolute_url())
    reading_record(user=alice, work=make_work(alice, post=False))
    assert ReadingEntry.objects.count() == 1


def test_history_lists_works_and_can_be_cleared_and_switched_off(reader, long_work, client_for):
    client = client_for(reader)
    client.get(long_work.get_absolute_url())
    assert blurb_titles(client.get("/users/reader/readings")) == ["Long Voyage"]
    client.post("/users/reader/readings/clear")
    assert blurb_titles(client.get("/users/reader/readings")) == []
    response = client.post("/users/reader/readings/settings", follow=True)
    assert "no longer recorded" in page_text(response)
    client.get(long_work.get_absolute_url())
    assert not ReadingEntry.objects.exists()
    client.post("/users/reader/readings/settings", {"history_enabled": "on"})
    client.get(long_work.get_absolute_url())
    assert ReadingEntry.objects.count() == 1


def test_switching_history_off_clears_it(reader, long_work):
    reading_record(user=reader, work=long_work)
    history_set_enabled(user=reader, enabled=False)
    assert not ReadingEntry.objects.exists()


def test_hidden_works_leave_the_history(reader, moderator, long_work, client_for):
    client = client_for(reader)
    client.get(long_work.get_absolute_url())
    work_hide(work=long_work, moderator=moderator, reason="Review.")
    assert blurb_titles(client.get("/users/reader/readings")) == []


def test_marked_for_later_add_and_remove(reader, long_work, client_for):
    client = client_for(reader)
    page = page_text(client.get(long_work.get_absolute_url()))
    assert "Mark for Later" in page
    client.post(f"/works/{long_work.pk}/mark_for_later")
    client.post(f"/works/{long_work.pk}/mark_for_later")  # twice is once
    assert MarkedForLater.objects.count() == 1
    assert "Mark as Read" in page_text(client.get(long_work.get_absolute_url()))
    assert blurb_titles(client.get("/users/reader/readings/later")) == ["Long Voyage"]
    response = client.post(f"/works/{long_work.pk}/mark_as_read", {"from": "list"}, follow=True)
    assert blurb_titles(response) == []
    assert "no longer marked for later" in page_text(response)


def test_drafts_cannot_be_marked(alice, reader, client_for):
    draft = make_work(alice, post=False)
    assert client_for(reader).post(f"/works/{draft.pk}/mark_for_later").status_code == 404
    assert not MarkedForLater.objects.exists()


@pytest.mark.parametrize("path", ["readings", "readings/later"])
def test_only_the_owner_sees_their_lists(path, reader, bob, client_for):
    url = f"/users/reader/{path}"
    assert client_for(reader).get(url).status_code == 200
    assert client_for(bob).get(url).status_code == 403
    assert Client().get(url)["Location"].startswith("/login")


def test_only_the_owner_clears_their_history(reader, bob, long_work, client_for):
    reading_record(user=reader, work=long_work)
    assert client_for(bob).post("/users/reader/readings/clear").status_code == 403
    assert client_for(bob).post("/users/reader/readings/settings").status_code == 403
    assert ReadingEntry.objects.count() == 1


def test_guests_get_no_reader_buttons(long_work):
    page = page_text(Client().get(long_work.get_absolute_url()))
    assert "Mark for Later" not in page and "Subscribe" not in page
