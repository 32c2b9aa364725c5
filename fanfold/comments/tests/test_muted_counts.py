"""Comment counts without the comments of users the viewer muted: blurbs in every listing and
the work page's "Comments: N" show what this viewer is shown, for one extra query a page."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.blocking.services import user_mute
from fanfold.comments.selectors import muted_comment_counts
from fanfold.comments.services import comment_create
from fanfold.series.services import series_add_work, series_create
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.django_db


def blurb_counts(response) -> dict[str, int]:
    """Title -> the comment count its blurb shows (absent: none shown)."""
    counts = {}
    for blurb in response.content.decode().split('data-testid="blurb"')[1:]:
        title = re.search(r'<h4 class="heading"><a href="/works/\d+">([^<]*)</a>', blurb)
        shown = re.search(r'data-testid="comment-count">([\d,]+)<', blurb)
        counts[title.group(1)] = int(shown.group(1)) if shown else 0
    return counts


def work_page_count(response) -> int:
    shown = re.search(r'data-testid="comments">([\d,]+)<', response.content.decode())
    return int(shown.group(1)) if shown else 0


def reads_comments(sql: str) -> bool:
    # (The header's unread-inbox count joins comments too, but reads the inbox.)
    return 'FROM "comments_comment"' in sql


@pytest.fixture
def commented(alice, bob, wrangler):
    """Two works of alice's: "Tides" with 2 comments by bob and 1 by the wrangler, "Harbour"
    with 1 by bob only."""
    tides = make_work(alice, title="Tides", fandoms=["Sea"])
    harbour = make_work(alice, title="Harbour", fandoms=["Sea"])
    comment_create(work=tides, user=bob, content="One")
    comment_create(work=tides, user=bob, content="Two")
    comment_create(work=tides, user=wrangler, content="Three")
    comment_create(work=harbour, user=bob, content="Four")
    return tides, harbour


def test_a_viewer_who_muted_a_commenter_sees_counts_without_them(
    commented, bob, reader, client_for
):
    tides, _harbour = commented
    user_mute(user=reader, muted=bob)
    client = client_for(reader)
    listing = client.get(reverse("work_index"))
    assert blurb_counts(listing) == {"Tides": 1, "Harbour": 0}
    assert work_page_count(client.get(tides.get_absolute_url())) == 1
    # Everyone else sees every comment; the sort by comments keeps the global count.
    assert blurb_counts(Client().get(reverse("work_index"))) == {"Tides": 3, "Harbour": 1}
    assert work_page_count(Client().get(tides.get_absolute_url())) == 3
    assert work_page_count(client_for(bob).get(tides.get_absolute_url())) == 3


@pytest.mark.parametrize(
    "url_name, args",
    [("home", []), ("tag_works", ["Sea"]), ("user_works", ["alice"]), ("series_detail", None)],
)
def test_every_listing_shows_the_viewers_counts(
    url_name, args, commented, alice, bob, reader, client_for
):
    tides, harbour = commented
    if args is None:
        series = series_create(user=alice, title="Coast")
        series_add_work(series=series, work=tides, user=alice)
        series_add_work(series=series, work=harbour, user=alice)
        args = [series.pk]
    user_mute(user=reader, muted=bob)
    counts = blurb_counts(client_for(reader).get(reverse(url_name, args=args)))
    assert counts == {"Tides": 1, "Harbour": 0}


def test_one_query_looks_up_the_muted_comments_of_every_work_listed(alice, bob, reader, client_for):
    user_mute(user=reader, muted=bob)
    client = client_for(reader)

    def queries(count: int) -> int:
        for number in range(count):
            work = make_work(alice, title=f"Work {number}")
            comment_create(work=work, user=bob, content="Muted")
            comment_create(work=work, user=alice, content="Shown")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("work_index"))
        assert set(blurb_counts(response).values()) == {1}
        return sum(reads_comments(query["sql"]) for query in captured.captured_queries)

    assert queries(2) == 1
    assert queries(10) == 1


def test_guests_and_works_without_comments_cost_no_query(alice, bob):
    assert muted_comment_counts(viewer=None, work_ids=[1, 2]) == {}
    make_work(alice, title="Quiet")
    with CaptureQueriesContext(connection) as captured:
        Client().get(reverse("work_index"))
    assert not any(reads_comments(query["sql"]) for query in captured.captured_queries)
