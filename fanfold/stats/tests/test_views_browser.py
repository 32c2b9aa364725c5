"""A writer's stats in a real browser: the chart is drawn, the table sorts by clicking a
column heading (a link, no script needed), and the page fits a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fanfold.bookmarks.services import bookmark_create
from fanfold.testing.factories import make_work
from fanfold.works.services import work_hit_record

pytestmark = pytest.mark.browser


def test_stats_sort_and_chart_on_a_phone(phone_page, alice, bob, login_as):
    tides = make_work(alice, title="Tides")
    shore = make_work(alice, title="Shore")
    for visitor in ("a", "b"):
        work_hit_record(work=tides, visitor=visitor, day=timezone.localdate())
    bookmark_create(user=bob, work=shore)
    login_as(phone_page, alice)
    phone_page.goto("/users/alice/stats")
    rows = phone_page.get_by_test_id("stats-row").locator("th a:first-child")
    expect(rows).to_have_text(["Tides", "Shore"])
    expect(phone_page.get_by_test_id("hits-chart")).to_be_visible()
    expect(phone_page.locator("svg .bar")).to_have_count(30)
    phone_page.get_by_test_id("stats-table").get_by_role("link", name="Bookmarks").click()
    expect(rows).to_have_text(["Shore", "Tides"])
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert phone_page.js_errors == []
