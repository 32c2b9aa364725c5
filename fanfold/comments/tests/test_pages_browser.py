"""In a real browser: paging through comments without JavaScript on a phone (keeping the
entire-work view) and landing on the page of one's new comment; a moderator hiding a comment
and its writer seeing the notice and editing it; a guest reporting a comment from its link;
switching comment e-mails off on the preferences page."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.comments.services import comment_create
from fanfold.inbox.selectors import comment_emails_wanted
from fanfold.moderation.models import AbuseReport
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


@pytest.fixture
def two_per_page(settings):
    settings.FANFOLD_COMMENTS_PER_PAGE = 2


def test_paging_through_comments_without_javascript_on_a_phone(
    browser, live_server, alice, bob, two_per_page
):
    work = make_work(alice, chapters=2, title="Tides")
    for number in range(1, 6):
        comment_create(work=work, user=bob, content=f"Thread number {number}")
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"/works/{work.pk}?view_full_work=true")
    comments = page.get_by_test_id("comment")
    expect(comments).to_have_count(2)
    expect(comments.first).to_contain_text("Thread number 1")
    page.get_by_test_id("comment-pages").first.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"view_full_work=true&comments_page=2#comments$"))
    expect(page.get_by_test_id("comment").first).to_contain_text("Thread number 3")
    page.get_by_test_id("comment-pages").first.get_by_role("link", name="3").click()
    expect(page.get_by_test_id("comment")).to_have_count(1)
    expect(page.get_by_test_id("comment")).to_contain_text("Thread number 5")
    # Every chapter is still shown: the entire-work view was kept.
    expect(page.get_by_text("This is chapter 2")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    # A guest's new (sixth) comment lands them on the page showing it, page 3.
    page.get_by_label("Name").fill("Wren")
    page.get_by_label("E-mail").fill("wren@example.org")
    page.get_by_role("textbox", name="Comment").fill("The newest word")
    page.get_by_role("button", name="Comment").click()
    expect(page).to_have_url(re.compile(r"comments_page=3#comment-\d+$"))
    expect(page.get_by_text("Comment created!")).to_be_visible()
    expect(page.get_by_test_id("comment").last).to_contain_text("The newest word")
    context.close()


def test_a_moderator_hides_a_comment_and_its_writer_sees_the_notice(
    page, alice, bob, reader, moderator, login_as
):
    work = make_work(alice, title="Tides")
    comment_create(work=work, user=bob, content="Buy cheap watches")
    login_as(page, moderator)
    page.goto(f"/works/{work.pk}")
    page.get_by_test_id("comment").get_by_role("link", name="Hide").click()
    page.get_by_role("button", name="Hide pending review").click()
    expect(page.get_by_text("The comment was not hidden.")).to_be_visible()
    page.get_by_label("Reason").fill("Advertising")
    page.get_by_role("button", name="Hide pending review").click()
    expect(page.get_by_text("its writer has been told")).to_be_visible()
    expect(page.get_by_test_id("comment-hidden")).to_contain_text("Advertising")

    page.context.clear_cookies()
    login_as(page, reader)
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_text("Buy cheap watches")).to_have_count(0)

    page.context.clear_cookies()
    login_as(page, bob)
    page.goto("/inbox")
    expect(page.get_by_test_id("inbox-item").first).to_contain_text(
        "hidden by a moderator pending review"
    )
    page.goto(f"/works/{work.pk}")
    notice = page.get_by_test_id("comment-hidden")
    expect(notice).to_contain_text("hidden by a moderator pending review")
    page.get_by_test_id("comment").get_by_role("link", name="Edit").click()
    page.get_by_label("Comment").fill("Sorry, no more advertising")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_test_id("comment")).to_contain_text("Sorry, no more advertising")
    expect(page.get_by_test_id("comment-hidden")).to_be_visible()
    assert page.js_errors == []


def test_a_guest_reports_a_comment_from_its_report_link(page, alice, bob, moderator, login_as):
    work = make_work(alice, title="Tides")
    comment = comment_create(work=work, user=bob, content="Rude words")
    page.goto(f"/works/{work.pk}")
    page.get_by_test_id("comment").get_by_role("link", name="Report").click()
    expect(page.get_by_label("Address of the page")).to_have_value(f"/comments/{comment.pk}")
    page.get_by_label("Harassment or threats").check()
    page.get_by_label("Describe the problem").fill("This comment insults the writer.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("your report has been sent")).to_be_visible()
    report = AbuseReport.objects.get()
    assert report.comment == comment

    page.context.clear_cookies()
    login_as(page, moderator)
    page.goto("/moderation")
    expect(page.get_by_test_id("report")).to_contain_text("a comment by bob on “Tides”")
    page.get_by_test_id("report").get_by_role("link", name=re.compile("Report")).click()
    expect(page.get_by_test_id("reported-comment")).to_contain_text("Rude words")
    assert page.js_errors == []


def test_switching_comment_emails_off_on_the_preferences_page(page, alice, login_as):
    login_as(page, alice)
    page.goto("/inbox")
    page.get_by_role("link", name="Preferences").click()
    box = page.get_by_label("E-mail me comments on my works and replies to my comments")
    expect(box).to_be_checked()
    box.uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your preferences were saved.")).to_be_visible()
    expect(box).not_to_be_checked()
    assert not comment_emails_wanted(user=alice)
    assert page.js_errors == []
