import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanfold.accounts import services
from fanfold.accounts.models import Invitation, Pseud, User
from fanfold.conftest import PASSWORD
from fanfold.core.models import ArchiveConfig
from fanfold.testing.factories import make_work
from fanfold.works.models import Creatorship, OrphanedWorkRecord, Work

pytestmark = pytest.mark.django_db


def signup(**fields):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password": PASSWORD,
        "accepted_terms": True,
        "confirmed_age": True,
    }
    data.update(fields)
    return services.user_create(**data)


def messages_for(exc_info, field):
    return exc_info.value.message_dict[field]


def invitation_only(on=True):
    config = ArchiveConfig.load()
    config.invitation_only = on
    config.save()


# --- user_create -----------------------------------------------------------------------------


def test_user_create_makes_a_default_pseud_named_after_the_user():
    user = signup()
    assert user.check_password(PASSWORD)
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [("newcomer", True)]


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("ab", "Username must be between 3 and 40 characters long."),
        ("a" * 41, "Username must be between 3 and 40 characters long."),
        ("two words", "Username can contain only letters, numbers and underscores"),
        ("dash-name", "Username can contain only letters, numbers and underscores"),
        ("at@sign", "Username can contain only letters, numbers and underscores"),
        ("émile", "Username can contain only letters, numbers and underscores"),
        ("_under", "Username must begin with a letter or number."),
        ("orphan_account", "That username is reserved. Please choose another."),
        ("Orphan_Account", "That username is reserved. Please choose another."),
        ("anonymous", "That username is reserved. Please choose another."),
    ],
)
def test_user_create_refuses_usernames_against_the_rules(username, message):
    with pytest.raises(ValidationError) as exc_info:
        signup(username=username)
    assert messages_for(exc_info, "username")[0].startswith(message)
    assert not User.objects.exists()
    assert not Pseud.objects.exists()


@pytest.mark.parametrize("username", ["abc", "a" * 40, "9lives", "snake_case_42", "ends_"])
def test_user_create_accepts_usernames_within_the_rules(username):
    assert signup(username=username).username == username


def test_user_create_refuses_a_username_taken_in_another_letter_case(alice):
    with pytest.raises(ValidationError) as exc_info:
        signup(username="ALICE")
    assert messages_for(exc_info, "username") == ["That username is already taken."]
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Please enter an email address."),
        ("not-an-address", "Please enter a valid email address."),
        ("ALICE@example.org", "That email address is already used by another account."),
    ],
)
def test_user_create_refuses_bad_or_taken_email(alice, email, message):
    with pytest.raises(ValidationError) as exc_info:
        signup(email=email)
    assert messages_for(exc_info, "email") == [message]
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1x", "This password is too short. It must contain at least 8 characters."),
        ("12345678901", "This password is entirely numeric."),
        ("password123", "This password is too common."),
        ("newcomer1", "The password is too similar to the username."),
    ],
)
def test_user_create_applies_djangos_password_validators(password, message):
    with pytest.raises(ValidationError) as exc_info:
        signup(password=password)
    assert message in messages_for(exc_info, "password")
    assert not User.objects.exists()


def test_user_create_reports_every_bad_field_at_once(alice):
    with pytest.raises(ValidationError) as exc_info:
        signup(username="alice", email="nope", password="123")
    assert set(exc_info.value.message_dict) == {"username", "email", "password"}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("accepted_terms", "Sorry, you need to accept the Terms of Service in order to sign up."),
        ("confirmed_age", "Sorry, you have to be over 13 to sign up."),
    ],
)
def test_user_create_refuses_a_sign_up_without_either_checkbox(missing, message):
    with pytest.raises(ValidationError) as exc_info:
        signup(**{missing: False})
    assert exc_info.value.message_dict == {missing: [message]}
    assert not User.objects.exists()
    assert not Pseud.objects.exists()


def test_the_age_message_names_the_archives_minimum_age():
    config = ArchiveConfig.load()
    config.minimum_age = 16
    config.save()
    with pytest.raises(ValidationError) as exc_info:
        signup(confirmed_age=False)
    assert messages_for(exc_info, "confirmed_age") == ["Sorry, you have to be over 16 to sign up."]


def test_missing_checkboxes_are_reported_with_the_other_problems(alice):
    with pytest.raises(ValidationError) as exc_info:
        signup(username="alice", accepted_terms=False, confirmed_age=False)
    assert set(exc_info.value.message_dict) == {"username", "accepted_terms", "confirmed_age"}


def test_accepting_the_terms_records_when():
    before = timezone.now()
    user = signup()
    after = timezone.now()
    user.refresh_from_db()
    assert user.terms_accepted_at is not None
    assert before <= user.terms_accepted_at <= after


def test_accounts_made_without_the_person_need_no_terms_and_record_no_acceptance():
    user = signup(accepted_terms=False, confirmed_age=False, check_terms=False)
    assert user.pseuds.get().is_default
    assert user.terms_accepted_at is None
    root = services.superuser_create(username="root", email="root@example.org", password=PASSWORD)
    assert root.terms_accepted_at is None
    assert services.orphan_account().terms_accepted_at is None


def test_a_sign_up_without_the_terms_leaves_the_invitation_unused(admin_user):
    invitation_only()
    invitation = services.invitation_create(created_by=admin_user)
    with pytest.raises(ValidationError):
        signup(accepted_terms=False, invitation_code=invitation.code)
    invitation.refresh_from_db()
    assert not invitation.is_used


def test_open_signup_needs_no_invitation():
    invitation_only(False)
    assert signup(invitation_code="").username == "newcomer"


def test_invitation_only_signup_needs_a_code():
    invitation_only()
    with pytest.raises(ValidationError) as exc_info:
        signup()
    assert messages_for(exc_info, "invitation_code") == [
        "Sign-up is by invitation only. Please enter your code."
    ]
    assert not User.objects.exists()


def test_invitation_only_signup_refuses_an_unknown_code():
    invitation_only()
    with pytest.raises(ValidationError) as exc_info:
        signup(invitation_code="made-up")
    assert messages_for(exc_info, "invitation_code") == [
        "That invitation code is not valid or has been used."
    ]
    assert not User.objects.exists()


def test_invitation_only_signup_uses_the_code_once(admin_user):
    invitation_only()
    invitation = services.invitation_create(created_by=admin_user)
    user = signup(invitation_code=f"  {invitation.code} ")
    invitation.refresh_from_db()
    assert invitation.used_by == user and invitation.is_used
    with pytest.raises(ValidationError) as exc_info:
        signup(username="second", email="second@example.org", invitation_code=invitation.code)
    assert messages_for(exc_info, "invitation_code") == [
        "That invitation code is not valid or has been used."
    ]
    assert not User.objects.filter(username="second").exists()


def test_a_failed_signup_leaves_the_invitation_unused(admin_user):
    invitation_only()
    invitation = services.invitation_create(created_by=admin_user)
    with pytest.raises(ValidationError):
        signup(password="123", invitation_code=invitation.code)
    invitation.refresh_from_db()
    assert not invitation.is_used


def test_admins_create_accounts_without_invitation_while_invitation_only():
    invitation_only()
    assert signup(check_invitation=False).pseuds.get().is_default


def test_invitation_codes_are_unique_and_unused(admin_user):
    first = services.invitation_create(created_by=admin_user, email="friend@example.org")
    second = services.invitation_create(created_by=admin_user)
    assert first.code != second.code and len(first.code) >= 12
    assert first.email == "friend@example.org" and not first.is_used


def test_invitation_create_refuses_a_bad_email():
    with pytest.raises(ValidationError) as exc_info:
        services.invitation_create(email="not an address")
    assert messages_for(exc_info, "email") == ["Please enter a valid email address."]
    assert not Invitation.objects.exists()


def test_orphan_account_is_made_once_and_cannot_log_in():
    orphan = services.orphan_account()
    assert services.orphan_account() == orphan
    assert orphan.username == "orphan_account" and not orphan.has_usable_password()
    assert orphan.pseuds.get().name == "orphan_account"


def test_superuser_create_makes_an_admin_with_a_default_pseud():
    user = services.superuser_create(username="root", email="root@example.org", password=PASSWORD)
    assert user.is_superuser and user.is_staff
    assert user.pseuds.get().name == "root"


# --- Passwords -------------------------------------------------------------------------------


def test_password_change_needs_the_current_password(alice):
    with pytest.raises(ValidationError) as exc_info:
        services.user_password_change(
            user=alice, old_password="wrong", new_password="a brand new secret"
        )
    assert messages_for(exc_info, "old_password") == [
        "Your current password was entered incorrectly. Please try again."
    ]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_validates_the_new_password(alice):
    with pytest.raises(ValidationError) as exc_info:
        services.user_password_change(user=alice, old_password=PASSWORD, new_password="1234")
    assert "This password is entirely numeric." in messages_for(exc_info, "password")
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_sets_the_new_password(alice):
    services.user_password_change(
        user=alice, old_password=PASSWORD, new_password="a brand new secret"
    )
    alice.refresh_from_db()
    assert alice.check_password("a brand new secret")


def test_password_set_refuses_an_empty_password(alice):
    with pytest.raises(ValidationError) as exc_info:
        services.user_password_set(user=alice, password="")
    assert messages_for(exc_info, "password") == ["Please enter a new password."]


# --- Pseuds ----------------------------------------------------------------------------------


def test_pseud_create_strips_the_name_and_keeps_the_description(alice):
    pseud = services.pseud_create(user=alice, name="  Night Owl ", description="Writes late.")
    assert (pseud.name, pseud.description, pseud.is_default) == ("Night Owl", "Writes late.", False)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Please enter a name for the pseud."),
        ("   ", "Please enter a name for the pseud."),
        ("x" * 41, "Pseud name must be at most 40 characters long."),
        ("bad/slash", "Pseud name can contain only letters, numbers, spaces, underscores and"),
        ("dot.name", "Pseud name can contain only letters, numbers, spaces, underscores and"),
        ("--", "Pseud name must contain at least one letter or number."),
        ("new", "“new” can't be used as a pseud name."),
        ("NEW", "“new” can't be used as a pseud name."),
        ("ALICE", "You already have a pseud with that name."),
    ],
)
def test_pseud_create_refuses_names_against_the_rules(alice, name, message):
    with pytest.raises(ValidationError) as exc_info:
        services.pseud_create(user=alice, name=name)
    assert messages_for(exc_info, "name")[0].startswith(message)
    assert alice.pseuds.count() == 1


@pytest.mark.parametrize("name", ["x", "x" * 40, "Ébène", "Tea-time_2", "夜の猫"])
def test_pseud_create_accepts_names_within_the_rules(alice, name):
    assert services.pseud_create(user=alice, name=name).name == name


def test_pseud_names_are_unique_per_user_only(alice, bob):
    services.pseud_create(user=alice, name="Shared")
    assert services.pseud_create(user=bob, name="shared").user == bob


def test_pseud_create_refuses_a_long_description(alice):
    with pytest.raises(ValidationError) as exc_info:
        services.pseud_create(user=alice, name="Wordy", description="w" * 501)
    assert messages_for(exc_info, "description") == [
        "Description must be at most 500 characters long (it has 501)."
    ]
    assert alice.pseuds.count() == 1


def test_pseud_update_renames_the_default_pseud_which_stays_default(alice):
    pseud = alice.pseuds.get()
    services.pseud_update(pseud=pseud, user=alice, name="Alice Writes", description="Hi.")
    pseud.refresh_from_db()
    assert (pseud.name, pseud.description, pseud.is_default) == ("Alice Writes", "Hi.", True)


def test_pseud_update_may_change_the_case_of_its_own_name(alice):
    pseud = alice.pseuds.get()
    assert services.pseud_update(pseud=pseud, user=alice, name="Alice").name == "Alice"


def test_pseud_update_refuses_another_pseuds_name(alice):
    services.pseud_create(user=alice, name="Second")
    pseud = alice.pseuds.get(is_default=True)
    with pytest.raises(ValidationError) as exc_info:
        services.pseud_update(pseud=pseud, user=alice, name="second")
    assert messages_for(exc_info, "name") == ["You already have a pseud with that name."]
    pseud.refresh_from_db()
    assert pseud.name == "alice"


def test_pseud_update_and_delete_only_by_the_owner(alice, bob):
    pseud = services.pseud_create(user=alice, name="Second")
    with pytest.raises(PermissionDenied):
        services.pseud_update(pseud=pseud, user=bob, name="Taken Over")
    with pytest.raises(PermissionDenied):
        services.pseud_delete(pseud=pseud, user=bob)
    assert alice.pseuds.filter(name="Second").exists()


def test_the_default_pseud_cannot_be_deleted(alice):
    with pytest.raises(PermissionDenied):
        services.pseud_delete(pseud=alice.pseuds.get(), user=alice)
    assert alice.pseuds.count() == 1


def test_pseud_delete_moves_its_works_to_the_default_pseud_merging_duplicates(alice):
    default = alice.pseuds.get(is_default=True)
    second = services.pseud_create(user=alice, name="Second")
    alone = make_work(alice, title="Second alone", pseuds=[second])
    both = make_work(alice, title="Both pseuds", pseuds=[default, second])
    services.pseud_delete(pseud=second, user=alice)
    assert not Pseud.objects.filter(pk=second.pk).exists()
    assert list(alone.pseuds.all()) == [default]
    assert list(both.pseuds.all()) == [default]
    assert Creatorship.objects.filter(work=both).count() == 1


def test_pseud_delete_keeps_the_work_when_only_the_deleted_pseud_had_accepted(alice, bob):
    """bob co-creates as his second pseud and also has an open invitation for his default
    pseud on the same work: deleting the second pseud must leave him an accepted creator."""
    default = bob.pseuds.get(is_default=True)
    second = services.pseud_create(user=bob, name="Tidewriter")
    work = make_work(alice, pseuds=[alice.pseuds.get(), second, default], accept_invitations=False)
    from fanfold.works.services import creatorship_accept

    creatorship_accept(creatorship=work.creatorships.get(pseud=second), user=bob)
    services.pseud_delete(pseud=second, user=bob)
    merged = Creatorship.objects.get(work=work, pseud__user=bob)
    assert merged.pseud == default and merged.approved is True


def test_pseud_delete_moves_an_open_invitation_without_accepting_it(alice, bob):
    second = services.pseud_create(user=bob, name="Tidewriter")
    work = make_work(alice, pseuds=[alice.pseuds.get(), second], accept_invitations=False)
    services.pseud_delete(pseud=second, user=bob)
    moved = Creatorship.objects.get(work=work, pseud__user=bob)
    assert moved.pseud == bob.pseuds.get() and moved.approved is False


# --- Deleting an account -----------------------------------------------------------------------


def test_user_delete_with_open_invitations_leaves_those_works_alone(alice, bob):
    for works in ("orphan", "delete"):
        invitee = User.objects.get(pk=bob.pk) if works == "orphan" else signup()
        work = make_work(
            alice, pseuds=[alice.pseuds.get(), invitee.pseuds.get()], accept_invitations=False
        )
        services.user_delete(user=invitee, works=works)
        assert [p.user for p in Work.objects.get(pk=work.pk).pseuds.all()] == [alice]
        assert not OrphanedWorkRecord.objects.exists()


def test_user_delete_orphaning_keeps_posted_works_under_orphan_account(alice, bob):
    solo = make_work(alice, title="Solo")
    shared = make_work(alice, title="Shared", pseuds=[alice.pseuds.get(), bob.pseuds.get()])
    draft = make_work(alice, title="Draft", post=False)
    services.user_delete(user=alice, works="orphan")
    assert not User.objects.filter(username="alice").exists()
    orphan = services.orphan_account().pseuds.get()
    assert list(Work.objects.get(pk=solo.pk).pseuds.all()) == [orphan]
    assert set(Work.objects.get(pk=shared.pk).pseuds.all()) == {orphan, bob.pseuds.get()}
    assert not Work.objects.filter(pk=draft.pk).exists()
    assert OrphanedWorkRecord.objects.filter(former_pseud_name="alice").count() == 2


def test_user_delete_deleting_removes_solo_works_and_leaves_co_created_ones(alice, bob):
    solo = make_work(alice, title="Solo")
    shared = make_work(alice, title="Shared", pseuds=[alice.pseuds.get(), bob.pseuds.get()])
    services.user_delete(user=alice, works="delete")
    assert not User.objects.filter(username="alice").exists()
    assert not Work.objects.filter(pk=solo.pk).exists()
    assert list(Work.objects.get(pk=shared.pk).pseuds.all()) == [bob.pseuds.get()]
    assert not User.objects.filter(username="orphan_account").exists()


def test_user_delete_refuses_an_unknown_choice(alice):
    make_work(alice)
    with pytest.raises(ValidationError) as exc_info:
        services.user_delete(user=alice, works="keep")
    assert messages_for(exc_info, "works") == ["Please choose what should happen to your works."]
    assert Work.objects.count() == 1 and User.objects.filter(username="alice").exists()


def test_the_orphan_account_cannot_be_deleted():
    with pytest.raises(PermissionDenied):
        services.user_delete(user=services.orphan_account(), works="orphan")
    assert User.objects.filter(username="orphan_account").exists()
