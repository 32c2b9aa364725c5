import html
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from fanfold.accounts import services
from fanfold.accounts.models import Pseud, User
from fanfold.conftest import PASSWORD
from fanfold.core.models import ArchiveConfig
from fanfold.testing.factories import make_work
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new secret"


def text(response) -> str:
    """The page as a reader sees its words (HTML entities decoded)."""
    return html.unescape(response.content.decode())


def logged_in_as(client) -> int | None:
    user_id = client.session.get(SESSION_KEY)
    return int(user_id) if user_id else None


def invitation_only(on=True):
    config = ArchiveConfig.load()
    config.invitation_only = on
    config.save()


SIGNUP = {
    "username": "newcomer",
    "email": "newcomer@example.org",
    "password": PASSWORD,
    "password_confirmation": PASSWORD,
    "accepted_terms": "on",
    "confirmed_age": "on",
}


# --- Sign up ---------------------------------------------------------------------------------


def test_signup_creates_the_account_logs_in_and_welcomes(client):
    response = client.post(reverse("signup"), SIGNUP, follow=True)
    user = User.objects.get(username="newcomer")
    assert response.redirect_chain[-1][0] == "/users/newcomer"
    assert "Welcome to Fanfold, newcomer!" in text(response)
    assert logged_in_as(client) == user.pk
    assert user.pseuds.get().is_default


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": ""}, "This field is required."),
        ({"username": "no spaces"}, "Username can contain only letters, numbers and underscores"),
        ({"username": "ab"}, "Username must be between 3 and 40 characters long."),
        ({"username": "ALICE"}, "That username is already taken."),
        ({"username": "orphan_account"}, "That username is reserved."),
        ({"email": "nope"}, "Please enter a valid email address."),
        ({"email": "alice@example.org"}, "That email address is already used by another account."),
        ({"password_confirmation": "something else"}, "The passwords you entered don't match."),
        ({"password": "12345678", "password_confirmation": "12345678"}, "too common"),
    ],
)
def test_signup_shows_what_is_wrong_and_creates_nothing(client, alice, changes, message):
    response = client.post(reverse("signup"), {**SIGNUP, **changes})
    assert response.status_code == 200
    assert message in text(response)
    assert "Sorry, we couldn't create your account." in text(response)
    assert set(User.objects.values_list("username", flat=True)) == {"alice"}
    assert logged_in_as(client) is None


def test_signup_records_that_the_terms_were_accepted(client):
    client.post(reverse("signup"), SIGNUP)
    assert User.objects.get(username="newcomer").terms_accepted_at is not None


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("accepted_terms", "Sorry, you need to accept the Terms of Service in order to sign up."),
        ("confirmed_age", "Sorry, you have to be over 13 to sign up."),
    ],
)
def test_signup_without_a_checkbox_shows_why_and_creates_nothing(client, missing, message):
    data = {key: value for key, value in SIGNUP.items() if key != missing}
    response = client.post(reverse("signup"), data)
    assert response.status_code == 200
    assert message in text(response)
    assert "Sorry, we couldn't create your account." in text(response)
    assert not User.objects.exists()
    assert logged_in_as(client) is None


def test_signup_reports_the_checkboxes_with_the_other_problems(client, alice):
    data = {**SIGNUP, "username": "ALICE"}
    del data["accepted_terms"], data["confirmed_age"]
    page = text(client.post(reverse("signup"), data))
    assert "That username is already taken." in page
    assert "Sorry, you need to accept the Terms of Service in order to sign up." in page
    assert "Sorry, you have to be over 13 to sign up." in page


def test_signup_form_links_the_terms_and_asks_for_the_archives_minimum_age(client):
    config = ArchiveConfig.load()
    config.minimum_age = 16
    config.save()
    page = text(client.get(reverse("signup")))
    assert re.search(
        r'I have read &amp; understood the <a href="/tos"[^>]*>Terms of Service</a>',
        client.get(reverse("signup")).content.decode(),
    )
    assert "I am at least 16 years of age" in page
    data = {key: value for key, value in SIGNUP.items() if key != "confirmed_age"}
    assert "Sorry, you have to be over 16 to sign up." in text(client.post(reverse("signup"), data))
    assert not User.objects.exists()


def test_signup_page_asks_for_no_invitation_while_open(client):
    response = client.get(reverse("signup"))
    assert 'name="invitation_code"' not in text(response)


def test_invitation_only_signup_asks_for_the_code_prefilled_from_the_link(client, admin_user):
    invitation_only()
    invitation = services.invitation_create(created_by=admin_user)
    response = client.get(reverse("signup") + f"?invitation={invitation.code}")
    assert "open by invitation only" in text(response)
    assert f'name="invitation_code" value="{invitation.code}"' in text(response)
    response = client.post(
        reverse("signup"), {**SIGNUP, "invitation_code": invitation.code}, follow=True
    )
    assert "Welcome to Fanfold, newcomer!" in text(response)
    invitation.refresh_from_db()
    assert invitation.used_by.username == "newcomer"


def test_invitation_only_signup_refuses_a_bad_code(client):
    invitation_only()
    response = client.post(reverse("signup"), {**SIGNUP, "invitation_code": "guess"})
    assert "That invitation code is not valid or has been used." in text(response)
    assert not User.objects.exists()


def test_signup_sends_logged_in_users_to_their_page(client_for, alice):
    response = client_for(alice).get(reverse("signup"))
    assert response.status_code == 302 and response["Location"] == "/users/alice"


# --- Log in and out ----------------------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["alice", "ALICE", "alice@example.org", "Alice@Example.org"])
def test_login_with_username_or_email(client, alice, identifier):
    response = client.post(
        reverse("login"), {"username": identifier, "password": PASSWORD}, follow=True
    )
    assert "Successfully logged in." in text(response)
    assert logged_in_as(client) == alice.pk


def test_login_with_a_wrong_password_says_so(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert "doesn't match our records" in text(response)
    assert logged_in_as(client) is None


def test_login_refuses_the_orphan_account(client):
    services.orphan_account()
    response = client.post(reverse("login"), {"username": "orphan_account", "password": "x"})
    assert "doesn't match our records" in text(response)
    assert logged_in_as(client) is None


def test_login_follows_next_on_this_site(client, alice):
    response = client.post(
        reverse("login") + "?next=/users/alice/pseuds",
        {"username": "alice", "password": PASSWORD, "next": "/users/alice/pseuds"},
    )
    assert response["Location"] == "/users/alice/pseuds"


def test_login_ignores_next_to_another_site(client, alice):
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD, "next": "https://evil.example/steal"},
    )
    assert response["Location"] == "/"


def test_login_without_remember_me_ends_with_the_browser(client, alice):
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD, "remember_me": "on"})
    assert not client.session.get_expire_at_browser_close()


def test_logout_needs_a_post(client_for, alice):
    client = client_for(alice)
    response = client.get(reverse("logout"))
    assert "Do you want to log out?" in text(response)
    assert logged_in_as(client) == alice.pk
    response = client.post(reverse("logout"), follow=True)
    assert "You have successfully logged out." in text(response)
    assert logged_in_as(client) is None


# --- Password change and reset -------------------------------------------------------------------


def test_password_change_keeps_the_owner_logged_in(client_for, alice):
    client = client_for(alice)
    response = client.post(
        reverse("password_change", args=["alice"]),
        {
            "old_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_confirmation": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "Your password has been changed." in text(response)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert logged_in_as(client) == alice.pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"old_password": "wrong"}, "Your current password was entered incorrectly."),
        ({"new_password_confirmation": "different"}, "The passwords you entered don't match."),
        ({"new_password": "1234", "new_password_confirmation": "1234"}, "entirely numeric"),
        ({"new_password": ""}, "This field is required."),
    ],
)
def test_password_change_bad_input(client_for, alice, changes, message):
    data = {
        "old_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_confirmation": NEW_PASSWORD,
        **changes,
    }
    response = client_for(alice).post(reverse("password_change", args=["alice"]), data)
    assert message in text(response)
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_reset_mail_link_sets_a_new_password(client, alice):
    response = client.post(reverse("password_reset"), {"email": "ALICE@example.org"}, follow=True)
    assert "Check your email" in text(response)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "[Fanfold] Reset your password"
    link = re.search(r"http://testserver(/password_reset/\S+)", message.body).group(1)

    response = client.get(link, follow=True)
    assert "Choose a new password" in text(response)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "mismatch one", "new_password2": "mismatch two"}
    )
    assert "The passwords you entered don't match." in text(response)
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Your password has been changed." in text(response)

    response = client.post(
        reverse("login"), {"username": "alice", "password": NEW_PASSWORD}, follow=True
    )
    assert logged_in_as(client) == alice.pk
    # The link works only once.
    response = Client().get(link, follow=True)
    assert "This password reset link is not valid" in text(response)


def test_password_reset_for_an_unknown_address_sends_nothing_and_tells_nothing(client, alice):
    response = client.post(reverse("password_reset"), {"email": "who@example.org"}, follow=True)
    assert "Check your email" in text(response)
    assert mail.outbox == []


def test_password_reset_refuses_a_malformed_address(client):
    response = client.post(reverse("password_reset"), {"email": "not an address"})
    assert "Enter a valid email address." in text(response)


# --- Delete account ---------------------------------------------------------------------------


def test_delete_account_orphaning_works(client_for, alice):
    work = make_work(alice, title="Stays on")
    client = client_for(alice)
    response = client.get(reverse("user_delete", args=["alice"]))
    assert "You have 1 work on the archive." in text(response)
    response = client.post(
        reverse("user_delete", args=["alice"]),
        {"password": PASSWORD, "works": "orphan"},
        follow=True,
    )
    assert "You have successfully deleted your account." in text(response)
    assert logged_in_as(client) is None
    assert not User.objects.filter(username="alice").exists()
    assert [p.name for p in Work.objects.get(pk=work.pk).pseuds.all()] == ["orphan_account"]


def test_delete_account_deleting_works(client_for, alice):
    make_work(alice, title="Goes away")
    client_for(alice).post(
        reverse("user_delete", args=["alice"]), {"password": PASSWORD, "works": "delete"}
    )
    assert not User.objects.filter(username="alice").exists()
    assert not Work.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "wrong", "works": "orphan"}, "That password is not correct."),
        ({"password": "", "works": "orphan"}, "This field is required."),
        ({"password": PASSWORD, "works": "keep"}, "Select a valid choice."),
    ],
)
def test_delete_account_bad_input_deletes_nothing(client_for, alice, data, message):
    make_work(alice)
    response = client_for(alice).post(reverse("user_delete", args=["alice"]), data)
    assert message in text(response)
    assert User.objects.filter(username="alice").exists() and Work.objects.count() == 1


# --- Permissions: only the owner --------------------------------------------------------------


OWNER_PAGES = [
    ("password_change", ["alice"]),
    ("user_delete", ["alice"]),
    ("pseud_new", ["alice"]),
    ("pseud_edit", ["alice", "alice"]),
    ("pseud_delete", ["alice", "alice"]),
]


@pytest.mark.parametrize(("name", "args"), OWNER_PAGES)
def test_owner_pages_open_for_the_owner(client_for, alice, name, args):
    assert client_for(alice).get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize(("name", "args"), OWNER_PAGES)
def test_owner_pages_are_forbidden_to_others(client_for, alice, bob, name, args):
    client = client_for(bob)
    assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse(name, args=args), {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(username="alice").exists()


@pytest.mark.parametrize(("name", "args"), OWNER_PAGES)
def test_owner_pages_send_guests_to_log_in(client, alice, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=")


def test_bob_cannot_rename_alices_pseud(client_for, alice, bob):
    response = client_for(bob).post(
        reverse("pseud_edit", args=["alice", "alice"]), {"name": "Hijacked"}
    )
    assert response.status_code == 403
    assert alice.pseuds.get().name == "alice"


# --- User and pseud pages -----------------------------------------------------------------------


def test_user_page_shows_pseuds_and_visible_works(client, client_for, alice):
    services.pseud_create(user=alice, name="Night Owl")
    make_work(alice, title="Open Story")
    make_work(alice, title="Members Story", is_restricted=True)
    make_work(alice, title="Secret Draft", post=False)
    page = text(client.get(reverse("user_detail", args=["alice"])))
    assert "Night Owl" in page and "Open Story" in page
    assert "Members Story" not in page and "Secret Draft" not in page
    assert "Works (1)" in page
    assert "Change password" not in page
    page = text(client_for(alice).get(reverse("user_detail", args=["ALICE"])))
    assert "Members Story" in page and "Works (2)" in page
    for link in ("Drafts", "Pseuds", "Change password", "Delete account"):
        assert f">{link}</a>" in page


def test_user_page_links_only_the_owner_to_their_settings(client_for, alice, bob):
    page = text(client_for(bob).get(reverse("user_detail", args=["alice"])))
    assert "Change password" not in page and "Delete account" not in page


def test_unknown_users_and_pseuds_are_404(client, alice):
    assert client.get(reverse("user_detail", args=["nobody"])).status_code == 404
    assert client.get(reverse("pseud_index", args=["nobody"])).status_code == 404
    assert client.get(reverse("pseud_detail", args=["alice", "Nobody"])).status_code == 404


def test_orphan_account_page_lists_orphaned_works(client, alice):
    work = make_work(alice, title="Left Behind")
    from fanfold.works.services import work_orphan

    work_orphan(work=work, user=alice)
    page = text(client.get(reverse("user_detail", args=["orphan_account"])))
    assert "orphan_account" in page and "Left Behind" in page


def test_pseud_index_lists_pseuds_with_their_visible_work_counts(client, alice):
    second = services.pseud_create(user=alice, name="Night Owl", description="Late stories.")
    make_work(alice, pseuds=[second])
    page = text(client.get(reverse("pseud_index", args=["alice"])))
    assert "alice's pseuds" in page
    assert "Default pseud" in page and "Late stories." in page
    assert "Works (1)" in page and "Works (0)" in page
    assert "New pseud" not in page


def test_pseud_page_shows_description_and_works(client, alice):
    pseud = services.pseud_create(user=alice, name="Night Owl", description="Late <b>stories</b>.")
    make_work(alice, title="By Moonlight", pseuds=[pseud])
    make_work(alice, title="Under Default")
    response = client.get("/users/alice/pseuds/Night%20Owl")
    assert "Late &lt;b&gt;stories&lt;/b&gt;." in response.content.decode()
    page = text(response)
    assert "By Moonlight" in page and "Under Default" not in page
    assert 'href="/users/alice/pseuds/Night%20Owl/works"' in page
    assert "Edit pseud" not in page


def test_new_pseud(client_for, alice):
    response = client_for(alice).post(
        reverse("pseud_new", args=["alice"]),
        {"name": "Night Owl", "description": "Late stories."},
        follow=True,
    )
    assert "Pseud was successfully created." in text(response)
    assert response.redirect_chain[-1][0] == "/users/alice/pseuds/Night%20Owl"
    assert alice.pseuds.get(name="Night Owl").description == "Late stories."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "alice"}, "You already have a pseud with that name."),
        ({"name": "new"}, "can't be used as a pseud name."),
        ({"name": "semi;colon"}, "Pseud name can contain only letters"),
        ({"name": "Wordy", "description": "w" * 501}, "Description must be at most 500"),
    ],
)
def test_new_pseud_bad_input(client_for, alice, data, message):
    response = client_for(alice).post(reverse("pseud_new", args=["alice"]), data)
    assert message in text(response)
    assert "Sorry, the pseud was not saved." in text(response)
    assert alice.pseuds.count() == 1


def test_edit_pseud_renames_the_default_which_stays_default(client_for, alice):
    response = client_for(alice).post(
        reverse("pseud_edit", args=["alice", "alice"]),
        {"name": "Alice Writes", "description": "Hello."},
        follow=True,
    )
    assert "Pseud was successfully updated." in text(response)
    pseud = alice.pseuds.get()
    assert (pseud.name, pseud.is_default) == ("Alice Writes", True)


def test_edit_pseud_bad_input_keeps_the_old_name(client_for, alice):
    services.pseud_create(user=alice, name="Second")
    response = client_for(alice).post(
        reverse("pseud_edit", args=["alice", "Second"]), {"name": "ALICE"}
    )
    assert "You already have a pseud with that name." in text(response)
    assert alice.pseuds.filter(name="Second").exists()


def test_delete_pseud_moves_its_works_to_the_default(client_for, alice):
    second = services.pseud_create(user=alice, name="Second")
    work = make_work(alice, pseuds=[second])
    client = client_for(alice)
    page = text(client.get(reverse("pseud_delete", args=["alice", "Second"])))
    assert "Its 1 work will be moved to your default pseud." in page
    response = client.post(reverse("pseud_delete", args=["alice", "Second"]), follow=True)
    assert "The pseud was successfully deleted." in text(response)
    assert [p.name for p in work.pseuds.all()] == ["alice"]


def test_the_default_pseud_cannot_be_deleted(client_for, alice):
    client = client_for(alice)
    page = text(client.get(reverse("pseud_delete", args=["alice", "alice"])))
    assert "can't be deleted" in page
    response = client.post(reverse("pseud_delete", args=["alice", "alice"]), follow=True)
    assert "You cannot delete your default pseud." in text(response)
    assert Pseud.objects.filter(user=alice).count() == 1
