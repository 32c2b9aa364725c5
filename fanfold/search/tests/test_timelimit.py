"""A search has a time limit (settings.FANFOLD_SEARCH_SECONDS): a statement that runs past it
is stopped by the database itself, the reader is told, and the connection goes on serving."""

import pytest
from django.db import connection
from django.urls import reverse

from fanfold.search.timelimit import SearchTooSlow, search_time_limit
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles, page_text
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db

# Counts to a billion, one row at a time: minutes on either database.
ENDLESS = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000000)"
    " SELECT count(*) FROM n"
)


def test_a_statement_past_the_limit_is_stopped_and_the_connection_goes_on(alice):
    make_work(alice, title="Still Here")
    with (
        pytest.raises(SearchTooSlow),
        search_time_limit(seconds=0.2),
        connection.cursor() as cursor,
    ):
        cursor.execute(ENDLESS)
    # Nothing of the limit is left behind: a longer read afterwards runs to its end.
    with connection.cursor() as cursor:
        cursor.execute(ENDLESS.replace("1000000000", "300000"))
        assert cursor.fetchone() == (300000,)
    assert list(Work.objects.values_list("title", flat=True)) == ["Still Here"]


def test_reads_within_the_limit_are_untouched(alice):
    make_work(alice, title="Quick")
    with search_time_limit(seconds=5):
        assert list(Work.objects.values_list("title", flat=True)) == ["Quick"]


def test_the_search_page_says_when_a_search_ran_out_of_time(client, alice, settings):
    make_work(alice, title="Lantern Keeper", content="<p>The lantern keeper waited.</p>")
    settings.FANFOLD_SEARCH_SECONDS = 0
    response = client.get(reverse("search"), {"q": '"lantern keeper"'})
    assert response.status_code == 200
    assert "This search took longer than 0 seconds, so it was stopped." in page_text(response)
    assert blurb_titles(response) == []
    settings.FANFOLD_SEARCH_SECONDS = 5
    response = client.get(reverse("search"), {"q": '"lantern keeper"'})
    assert blurb_titles(response) == ["Lantern Keeper"]
