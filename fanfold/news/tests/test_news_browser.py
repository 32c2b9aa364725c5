"""Site news, the banner and guest spam protection in a real browser: an admin posts news, a
guest finds it through the header link and comments, a reply reaches the inbox; the banner
shows and is dismissed on a phone and on a desktop, without JavaScript; the honeypot stays out
of people's way and a held comment tells the guest it waits for approval."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.comments.services import comment_create_on_news
from fanfold.news.models import NewsPost
from fanfold.news.services import banner_create, news_post_create
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_admin_posts_news_a_guest_comments_and_a_reply_reaches_the_inbox(
    page, admin_user, reader, bob, login_as
):
    login_as(page, admin_user)
    page.goto("/admin_posts")
    page.get_by_role("link", name="Post news").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("Please give the post a title.")
    page.get_by_label("Title").fill("Harbour maintenance")
    page.get_by_label("Category").fill("Maintenance")
    page.get_by_role("textbox", name="Post").fill("<p>The archive rests for an hour.</p>")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("News post published.")).to_be_visible()
    expect(page.get_by_role("heading", name="Harbour maintenance")).to_be_visible()

    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="News").click()
    expect(page.get_by_test_id("news-post")).to_contain_text("The archive rests for an hour.")
    page.get_by_role("link", name="Harbour maintenance").click()
    page.get_by_label("Name").fill("Wren")
    page.get_by_label("E-mail").fill("wren@example.org")
    page.get_by_role("textbox", name="Comment").fill("Thanks for telling us.")
    page.get_by_role("button", name="Comment").click()
    expect(page.get_by_text("Comment created!")).to_be_visible()
    expect(page.get_by_role("heading", name="Comments (1)")).to_be_visible()
    expect(page.get_by_test_id("comment")).to_contain_text("Wren (Guest)")

    post = NewsPost.objects.get()
    mine = comment_create_on_news(post=post, user=reader, content="Which hour?")
    login_as(page, bob)
    page.goto(f"/comments/{mine.pk}")
    page.get_by_role("textbox", name="Comment").fill("Sunday noon, I think.")
    page.get_by_role("button", name="Reply").click()
    expect(page).to_have_url(re.compile(rf"/admin_posts/{post.pk}#comment-\d+$"))
    page.context.clear_cookies()
    login_as(page, reader)
    page.goto("/inbox")
    expect(page.get_by_test_id("inbox-item")).to_contain_text(
        "bob replied to your comment on Harbour maintenance"
    )
    assert page.js_errors == []


def test_news_pages_fit_a_phone(phone_page, admin_user):
    post = news_post_create(user=admin_user, title="A very long headline " * 6, body="Body")
    for path in ["/admin_posts", f"/admin_posts/{post.pk}"]:
        phone_page.goto(path)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
    assert phone_page.js_errors == []


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_the_banner_shows_and_is_dismissed_without_javascript(
    device, admin_user, reader, login_as, request
):
    tab = request.getfixturevalue(device)
    banner_create(user=admin_user, text="We <strong>move</strong> servers on Sunday.",
                  link_url="/admin_posts", link_text="Details")  # fmt: skip
    tab.goto("/works")
    banner = tab.get_by_role("region", name="Announcement")
    expect(banner).to_contain_text("We move servers on Sunday.")
    assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    banner.get_by_role("button", name="Dismiss this announcement").click()
    expect(tab).to_have_url(re.compile(r"/works$"))
    expect(tab.get_by_role("region", name="Announcement")).to_have_count(0)
    tab.goto("/")
    expect(tab.get_by_role("region", name="Announcement")).to_have_count(0)
    # A logged-in reader dismisses it for their account; a new banner shows again.
    tab.context.clear_cookies()
    login_as(tab, reader)
    tab.goto("/")
    tab.get_by_role("button", name="Dismiss this announcement").click()
    banner_create(user=admin_user, text="Back online.")
    tab.goto("/")
    expect(tab.get_by_role("region", name="Announcement")).to_contain_text("Back online.")
    assert tab.js_errors == []


def test_the_banner_dismisses_with_javascript_turned_off(browser, live_server, admin_user):
    banner_create(user=admin_user, text="No scripts needed.")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    tab = context.new_page()
    tab.goto("/")
    tab.get_by_role("button", name="Dismiss this announcement").click()
    expect(tab.get_by_text("No scripts needed.")).to_have_count(0)
    context.close()


def test_an_admin_sets_a_banner_and_sees_a_bad_date_explained(page, admin_user, login_as):
    login_as(page, admin_user)
    page.goto("/admin_banners")
    page.get_by_label("Banner text").fill("Fundraiser this week!")
    page.get_by_label("Show from").fill("2030-01-02T10:00")
    page.get_by_label("Show until").fill("2030-01-01T10:00")
    page.get_by_role("button", name="Save banner").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text(
        "The banner must end after it starts."
    )
    page.get_by_label("Show from").fill("")
    page.get_by_label("Show until").fill("")
    page.get_by_role("button", name="Save banner").click()
    expect(page.get_by_text("Banner saved.")).to_be_visible()
    expect(page.get_by_role("region", name="Announcement")).to_contain_text("Fundraiser this week!")
    assert page.js_errors == []


def test_the_honeypot_is_invisible_and_a_held_comment_says_it_waits(
    page, alice, moderator, login_as
):
    work = make_work(alice, title="Tides")
    page.goto(f"/works/{work.pk}")
    # Moved out of sight by the stylesheet (and aria-hidden for screen readers).
    expect(page.get_by_label("Leave this empty")).not_to_be_in_viewport()
    page.get_by_label("Name").fill("Wren")
    page.get_by_label("E-mail").fill("wren@example.org")
    page.get_by_role("textbox", name="Comment").fill("Great casino bonus for you")
    page.get_by_role("button", name="Comment").click()
    expect(page.get_by_text("It will appear publicly after it has been approved.")).to_be_visible()
    expect(page.get_by_test_id("comment")).to_have_count(0)

    login_as(page, moderator)
    page.goto("/moderation")
    page.get_by_role("link", name="Held comments").click()
    held = page.get_by_test_id("held-comment")
    expect(held).to_contain_text("Great casino bonus for you")
    expect(held).to_contain_text("Held: contains “casino”")
    held.get_by_label("Select").check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_text("1 comment approved.")).to_be_visible()
    page.context.clear_cookies()
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_test_id("comment")).to_contain_text("Great casino bonus for you")
    assert page.js_errors == []


def test_a_bot_filling_the_honeypot_is_told_nothing(page, alice):
    work = make_work(alice, title="Tides")
    page.goto(f"/works/{work.pk}")
    page.get_by_label("Name").fill("Bot")
    page.get_by_label("E-mail").fill("bot@example.org")
    page.get_by_role("textbox", name="Comment").fill("Hello")
    page.get_by_label("Leave this empty").fill("http://bot.example", force=True)
    page.get_by_role("button", name="Comment").click()
    expect(page.get_by_text("Thank you: your comment was received.")).to_be_visible()
    expect(page.get_by_test_id("comment")).to_have_count(0)
