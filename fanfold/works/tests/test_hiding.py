"""Moderators hide a work pending review: it leaves every listing and page for everyone but its
creators and moderators, and comes back when unhidden."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from fanfold.series.services import series_add_work, series_create
from fanfold.tags.models import Tag
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text
from fanfold.works import selectors
from fanfold.works.services import work_hide, work_unhide

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_work(alice, moderator):
    work = make_work(alice, title="Under Review", fandoms=["Harbour Tales"])
    return work_hide(work=work, moderator=moderator, reason="Reported as a copy of another work.")


@pytest.mark.parametrize("who", ["guest", "reader", "bob"])
def test_others_get_not_found_and_no_listing(who, hidden_work, request, client_for):
    client = Client() if who == "guest" else client_for(request.getfixturevalue(who))
    assert client.get(hidden_work.get_absolute_url()).status_code == 404
    listing = client.get("/works").content.decode()
    assert "Under Review" not in listing
    tag_page = client.get(Tag.objects.get(name="Harbour Tales").get_absolute_url()).content
    assert b"Under Review" not in tag_page


def test_creator_sees_the_work_and_the_reason(alice, hidden_work, client_for):
    page = client_for(alice).get(hidden_work.get_absolute_url()).content.decode()
    assert "hidden by the archive's moderators" in page
    assert "Reported as a copy of another work." in page


def test_moderator_sees_the_work_but_not_in_listings(moderator, hidden_work, client_for):
    client = client_for(moderator)
    assert client.get(hidden_work.get_absolute_url()).status_code == 200
    assert "Under Review" not in client.get("/works").content.decode()


def test_moderators_find_a_hidden_work_in_its_series(alice, moderator, hidden_work, client_for):
    series = series_create(user=alice, title="Harbour Cycle")
    later = make_work(alice, title="After the Review")
    for work in (hidden_work, later):
        series_add_work(series=series, work=work, user=alice)
    page = page_text(client_for(moderator).get(hidden_work.get_absolute_url()))
    assert "Part 1 of Harbour Cycle" in page and "Next Work" in page
    # Readers' series skip it: the later work is their part 1.
    assert "Part 1 of Harbour Cycle" in page_text(Client().get(later.get_absolute_url()))


def test_only_moderators_may_hide_or_unhide(alice, bob):
    work = make_work(alice, title="Fine Work")
    with pytest.raises(PermissionDenied):
        work_hide(work=work, moderator=bob, reason="no")
    with pytest.raises(PermissionDenied):
        work_hide(work=work, moderator=alice, reason="my own")
    with pytest.raises(PermissionDenied):
        work_unhide(work=work, moderator=alice)
    work.refresh_from_db()
    assert not work.is_hidden


def test_a_reason_is_required_and_nothing_changes_without_one(alice, moderator):
    work = make_work(alice, title="Fine Work")
    with pytest.raises(ValidationError) as error:
        work_hide(work=work, moderator=moderator, reason="   ")
    assert "say why" in str(error.value)
    with pytest.raises(ValidationError):
        work_hide(work=work, moderator=moderator, reason="x" * 501)
    work.refresh_from_db()
    assert not work.is_hidden


def test_unhiding_brings_the_work_back(reader, moderator, hidden_work, client_for):
    work_unhide(work=hidden_work, moderator=moderator)
    assert client_for(reader).get(hidden_work.get_absolute_url()).status_code == 200
    assert [w.title for w in selectors.work_list_posted(viewer=reader)] == ["Under Review"]
