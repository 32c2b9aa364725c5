"""A writer's stats page: numbers per work and in total, sorting by each column (links, so no
JavaScript is needed), the hits chart, and nobody else may see it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fanfold.bookmarks.services import bookmark_create
from fanfold.subscriptions.services import subscription_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text
from fanfold.works.services import work_hit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(alice, bob, reader):
    tides = make_work(alice, title="Tides")
    shore = make_work(alice, title="Shore")
    make_work(alice, title="Unposted", post=False)
    make_work(bob, title="Not Alices")
    today = timezone.localdate()
    for visitor in ("a", "b", "c"):
        work_hit_record(work=tides, visitor=visitor, day=today)
    work_hit_record(work=tides, visitor="a", day=today - timedelta(days=2))
    work_hit_record(work=shore, visitor="a", day=today)
    bookmark_create(user=bob, work=shore)
    bookmark_create(user=reader, work=shore)
    bookmark_create(user=reader, work=tides, is_private=True)
    subscription_create(user=bob, work=tides)
    return tides, shore


def rows(response) -> list[str]:
    return re.findall(
        r'<tr data-testid="stats-row">\s*<th scope="row"><a href="[^"]+">([^<]+)<',
        response.content.decode(),
    )


def test_per_work_numbers_and_totals(alice, works, client_for):
    response = client_for(alice).get("/users/alice/stats")
    assert rows(response) == ["Tides", "Shore"]  # most hits first
    assert 'data-testid="total-hits">5<' in response.content.decode()
    assert 'data-testid="total-bookmarks">2<' in response.content.decode()  # public ones
    text = page_text(response)
    assert "Unposted" not in text and "Not Alices" not in text


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("?sort=bookmarks", ["Shore", "Tides"]),
        ("?sort=title&dir=asc", ["Shore", "Tides"]),
        ("?sort=title&dir=desc", ["Tides", "Shore"]),
        ("?sort=subscriptions", ["Tides", "Shore"]),
        ("?sort=nonsense&dir=sideways", ["Tides", "Shore"]),  # bad input: the default order
    ],
)
def test_sorting_by_column(alice, works, client_for, query, order):
    assert rows(client_for(alice).get("/users/alice/stats" + query)) == order


def test_the_chart_is_an_svg_with_a_bar_per_day(alice, works, client_for):
    response = client_for(alice).get("/users/alice/stats?days=7")
    markup = response.content.decode()
    assert markup.count('<rect class="bar"') == 7
    assert "5 hits in the last 7 days, at most 4 on one day" in markup
    shore = works[1]
    one = client_for(alice).get(f"/users/alice/stats?days=7&work={shore.pk}").content.decode()
    assert "1 hit in the last 7 days, at most 1 on one day" in one
    assert client_for(alice).get("/users/alice/stats?work=999999").status_code == 404


def test_only_the_writer_sees_their_stats(alice, bob, moderator, client_for):
    assert client_for(alice).get("/users/alice/stats").status_code == 200
    assert client_for(bob).get("/users/alice/stats").status_code == 403
    assert client_for(moderator).get("/users/alice/stats").status_code == 403
    assert Client().get("/users/alice/stats")["Location"].startswith("/login")


def test_no_works_yet(reader, client_for):
    assert "no stats to show" in page_text(client_for(reader).get("/users/reader/stats"))
