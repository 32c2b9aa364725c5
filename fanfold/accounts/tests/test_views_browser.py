"""Every accounts page in a real browser, the way people use them."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from fanfold.accounts import services
from fanfold.accounts.models import User
from fanfold.conftest import PASSWORD
from fanfold.testing.factories import make_work
from fanfold.works.models import Work

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a brand new secret"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sign_up_on_a_phone(phone_page, alice):
    page = phone_page
    page.goto("/")
    page.get_by_role("link", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_label("Username").fill("new reader")
    page.get_by_label("Email").fill("alice@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Username can contain only letters, numbers and")).to_be_visible()
    expect(page.get_by_text("That email address is already used")).to_be_visible()
    expect(
        page.get_by_text("Sorry, you need to accept the Terms of Service in order to sign up.")
    ).to_be_visible()
    expect(page.get_by_text("Sorry, you have to be over 13 to sign up.")).to_be_visible()
    assert fits_the_screen(page)
    assert not User.objects.filter(email="reader@example.org").exists()

    page.get_by_label("Username").fill("new_reader")
    page.get_by_label("Email").fill("reader@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_label("I have read & understood the Terms of Service").check()
    page.get_by_label("I am at least 13 years of age").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome to Fanfold, new_reader!")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_text("Hi, new_reader!")
    assert page.url.endswith("/users/new_reader")
    assert User.objects.get(username="new_reader").terms_accepted_at is not None
    assert page.js_errors == []


def test_the_terms_open_from_the_footer_and_from_the_sign_up_form(page):
    page.goto("/works")
    page.get_by_role("contentinfo").get_by_role("link", name="Terms of Service").click()
    expect(page).to_have_url(re.compile(r"/tos$"))
    expect(page.get_by_role("heading", name="Terms of Service")).to_be_visible()
    expect(page.get_by_test_id("terms")).to_contain_text("Your works stay yours")
    expect(page.get_by_test_id("terms-age")).to_contain_text("at least 13 years old")

    # From the sign-up form the terms open beside it, so nothing typed there is lost.
    page.goto("/signup")
    page.get_by_label("Username").fill("careful_reader")
    with page.context.expect_page() as opened:
        page.get_by_role("main").get_by_role("link", name="Terms of Service").click()
    terms = opened.value
    expect(terms.get_by_test_id("terms")).to_contain_text("Other people's works")
    terms.close()
    expect(page.get_by_label("Username")).to_have_value("careful_reader")
    assert page.js_errors == []


def test_log_in_by_email_back_to_the_page_asked_for_then_log_out(page, alice):
    page.goto("/users/alice/pseuds/new")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username or email").fill("alice")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("doesn't match our records")).to_be_visible()

    page.get_by_label("Username or email").fill("alice@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Successfully logged in.")).to_be_visible()
    expect(page.get_by_role("heading", name="New pseud")).to_be_visible()

    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_text("You have successfully logged out.")).to_be_visible()
    expect(page.get_by_role("link", name="Log In")).to_be_visible()
    assert page.js_errors == []


def test_change_password(page, alice, login_as):
    login_as(page, alice)
    page.goto("/users/alice")
    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your current password was entered incorrectly.")).to_be_visible()

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_text("Hi, alice!")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_reset_a_forgotten_password_by_email(page, alice):
    page.goto("/login")
    page.get_by_role("link", name="Forgot password?").click()
    page.get_by_label("Email").fill("alice@example.org")
    page.get_by_role("button", name="Reset password").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/password_reset/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()

    page.get_by_role("link", name="Log in", exact=True).click()
    page.get_by_label("Username or email").fill("alice")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("current-user")).to_have_text("Hi, alice!")
    assert page.js_errors == []


def test_delete_account_with_its_works(page, alice, login_as):
    make_work(alice, title="A Story To Remove")
    login_as(page, alice)
    page.goto("/users/alice")
    page.get_by_role("link", name="Delete account").click()
    expect(page.get_by_text("You have 1 work on the archive.")).to_be_visible()
    page.get_by_label("Delete my works").check()
    page.get_by_label("Your password").fill("not it")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That password is not correct.")).to_be_visible()
    assert User.objects.filter(username="alice").exists()

    page.get_by_label("Delete my works").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("You have successfully deleted your account.")).to_be_visible()
    expect(page.get_by_role("link", name="Log In")).to_be_visible()
    assert not User.objects.filter(username="alice").exists()
    assert not Work.objects.exists()


def test_user_page_as_seen_by_another_user_and_by_the_owner(page, alice, bob, login_as):
    services.pseud_create(user=alice, name="Night Owl")
    make_work(alice, title="Harbour Lights")
    login_as(page, bob)
    page.goto("/users/alice")
    expect(page.get_by_role("heading", name="alice", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Night Owl")).to_be_visible()
    expect(page.get_by_role("link", name="Harbour Lights")).to_be_visible()
    expect(page.get_by_test_id("all-works")).to_have_text("Works (1)")
    expect(page.get_by_role("link", name="Change password")).to_have_count(0)

    login_as(page, alice)
    page.goto("/users/alice")
    nav = page.get_by_role("navigation", name="Your account")
    for link in ("Drafts", "Pseuds", "Change password", "Delete account"):
        expect(nav.get_by_role("link", name=link)).to_be_visible()
    assert page.js_errors == []


def test_pseuds_new_edit_delete(page, alice, login_as):
    login_as(page, alice)
    page.goto("/users/alice/pseuds")
    page.get_by_role("link", name="New pseud").first.click()
    page.get_by_label("Name").fill("new")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("“new” can't be used as a pseud name.")).to_be_visible()

    page.get_by_label("Name").fill("Night Owl")
    page.get_by_label("Description").fill("Stories written after midnight.")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("Pseud was successfully created.")).to_be_visible()
    expect(page.get_by_text("Stories written after midnight.")).to_be_visible()

    page.get_by_role("link", name="Edit pseud").click()
    page.get_by_label("Name").fill("Night Heron")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("Pseud was successfully updated.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Night Heron (alice)")

    page.get_by_role("link", name="Delete pseud").click()
    page.get_by_role("button", name="Yes, delete pseud").click()
    expect(page.get_by_text("The pseud was successfully deleted.")).to_be_visible()
    expect(page.get_by_role("heading", name="alice's pseuds")).to_be_visible()
    expect(page.locator(".pseud-blurb")).to_have_count(1)
    assert page.js_errors == []


def test_pseud_page_on_a_phone(phone_page, alice):
    pseud = services.pseud_create(
        user=alice, name="Night Owl", description="Stories written after midnight."
    )
    make_work(alice, title="Moonlit Crossing", pseuds=[pseud])
    make_work(alice, title="Daylight Story")
    page = phone_page
    page.goto("/users/alice/pseuds")
    page.get_by_role("link", name="Night Owl").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Night Owl (alice)")
    expect(page.get_by_text("Stories written after midnight.")).to_be_visible()
    expect(page.get_by_role("link", name="Moonlit Crossing")).to_be_visible()
    expect(page.get_by_role("link", name="Daylight Story")).to_have_count(0)
    expect(page.get_by_test_id("all-works")).to_have_attribute(
        "href", "/users/alice/pseuds/Night%20Owl/works"
    )
    expect(page.get_by_role("link", name="Edit pseud")).to_have_count(0)
    assert fits_the_screen(page)
    assert page.js_errors == []
