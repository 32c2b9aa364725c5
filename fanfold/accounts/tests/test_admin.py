"""Roles, accounts, pseuds and invitations in Django's admin (fanfold/core/admin.py)."""

import pytest
from django.urls import reverse

from fanfold.accounts import services
from fanfold.accounts.models import Invitation, Pseud, User
from fanfold.conftest import PASSWORD
from fanfold.testing.factories import make_work
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db


def test_admin_lists_and_searches_users_by_name_and_email(client_for, admin_user, alice, bob):
    client = client_for(admin_user)
    page = client.get(reverse("admin:accounts_user_changelist") + "?q=alice@example").content
    assert b"alice" in page and b">bob<" not in page
    page = client.get(reverse("admin:accounts_user_changelist") + "?q=bo").content
    assert b">bob<" in page


def test_admin_sets_roles(client_for, admin_user, alice):
    client = client_for(admin_user)
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    page = client.get(url).content.decode()
    for flag in ("is_superuser", "is_moderator", "is_tag_wrangler"):
        assert f'name="{flag}"' in page
    response = client.post(
        url,
        {
            "username": "alice",
            "email": "alice@example.org",
            "is_active": "on",
            "is_moderator": "on",
            "is_tag_wrangler": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "invitations_left": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()
    alice.refresh_from_db()
    assert alice.may_moderate and alice.may_wrangle and not alice.is_superuser
    assert alice.invitations_left == 3


def test_admin_adds_a_user_with_a_default_pseud(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_add"),
        {
            "username": "added",
            "email": "added@example.org",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="added")
    assert user.check_password(PASSWORD)
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [("added", True)]
    # Its owner has not accepted the Terms of Service yet; the admin cannot say they have.
    assert user.terms_accepted_at is None


def test_admin_shows_when_the_terms_were_accepted_without_letting_it_change(
    client_for, admin_user, alice
):
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    page = client_for(admin_user).get(url).content.decode()
    assert "Terms accepted" in page
    assert 'name="terms_accepted_at' not in page


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("ALICE", "That username is already taken."),
        ("orphan_account", "That username is reserved."),
        ("has space", "Username can contain only letters, numbers and underscores"),
    ],
)
def test_admin_add_user_bad_username(client_for, admin_user, alice, username, message):
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_add"),
        {
            "username": username,
            "email": "other@example.org",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert message in response.content.decode()
    assert User.objects.count() == 2


def test_admin_deleting_a_user_orphans_their_works(client_for, admin_user, alice):
    work = make_work(alice, title="Kept")
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_delete", args=[alice.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(username="alice").exists()
    assert [p.name for p in Work.objects.get(pk=work.pk).pseuds.all()] == ["orphan_account"]


def test_admin_creates_invitations_with_a_generated_code(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(reverse("admin:accounts_invitation_add"), {"email": "f@example.org"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert len(invitation.code) >= 12 and invitation.created_by == admin_user
    page = client.get(reverse("admin:accounts_invitation_change", args=[invitation.pk]))
    assert f"/signup?invitation={invitation.code}" in page.content.decode()


def test_admin_switches_invitation_only_sign_up(client_for, admin_user, client):
    from fanfold.core.models import ArchiveConfig

    config = ArchiveConfig.load()
    response = client_for(admin_user).post(
        reverse("admin:core_archiveconfig_change", args=[config.pk]),
        {
            "invitation_only": "on",
            "minimum_age": "13",
            "invitations_per_day": "10",
            "terms_of_service": config.terms_of_service,
            "site_notice": "",
        },
    )
    assert response.status_code == 302
    assert 'name="invitation_code"' in client.get(reverse("signup")).content.decode()


def test_admin_edits_the_terms_of_service_and_the_minimum_age(client_for, admin_user, client):
    from fanfold.core.models import ArchiveConfig

    config = ArchiveConfig.load()
    assert "Your works stay yours" in client.get(reverse("terms_of_service")).content.decode()
    url = reverse("admin:core_archiveconfig_change", args=[config.pk])
    response = client_for(admin_user).post(
        url,
        {
            "minimum_age": "16",
            "invitations_per_day": "10",
            "terms_of_service": "Be kind.\n\nCredit your sources.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    terms = client.get(reverse("terms_of_service")).content.decode()
    assert "<p>Be kind.</p>" in terms and "<p>Credit your sources.</p>" in terms
    assert "Your works stay yours" not in terms
    assert "I am at least 16 years of age" in client.get(reverse("signup")).content.decode()
    response = client_for(admin_user).post(url, {"minimum_age": "0", "terms_of_service": "x"})
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert ArchiveConfig.load().minimum_age == 16


def test_admin_renames_pseuds_by_the_rules_and_keeps_default_pseuds(client_for, admin_user, alice):
    client = client_for(admin_user)
    default = alice.pseuds.get()
    url = reverse("admin:accounts_pseud_change", args=[default.pk])
    response = client.post(url, {"name": "bad/name", "description": ""})
    assert "Pseud name can contain only letters" in response.content.decode()
    response = client.post(url, {"name": "Alice Renamed", "description": "Hi"})
    assert response.status_code == 302
    default.refresh_from_db()
    assert (default.name, default.is_default) == ("Alice Renamed", True)
    response = client.get(reverse("admin:accounts_pseud_delete", args=[default.pk]))
    assert response.status_code == 403


def test_admin_deleting_a_pseud_moves_its_works(client_for, admin_user, alice):
    second = services.pseud_create(user=alice, name="Second")
    work = make_work(alice, pseuds=[second])
    response = client_for(admin_user).post(
        reverse("admin:accounts_pseud_delete", args=[second.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Pseud.objects.filter(pk=second.pk).exists()
    assert [p.name for p in work.pseuds.all()] == ["alice"]


def test_people_without_staff_status_cannot_use_the_admin(client_for, alice, moderator):
    for user in (alice, moderator):
        response = client_for(user).get(reverse("admin:accounts_user_changelist"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
