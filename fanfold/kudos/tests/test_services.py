import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.accounts.services import user_delete
from fanfold.blocking.services import user_mute
from fanfold.kudos.models import Kudos
from fanfold.kudos.selectors import kudos_summary
from fanfold.kudos.services import ALREADY_MESSAGE, OWN_WORK_MESSAGE, kudos_give
from fanfold.testing.factories import make_work
from fanfold.works.models import Work
from fanfold.works.services import work_hide

pytestmark = pytest.mark.django_db


def count(work) -> int:
    return Work.objects.get(pk=work.pk).kudos_count


def test_a_user_and_guests_leave_kudos_once_each(alice, bob):
    work = make_work(alice)
    kudos_give(work=work, user=bob)
    kudos_give(work=work, user=AnonymousUser(), ip="192.0.2.1")
    kudos_give(work=work, user=None, ip="192.0.2.2")
    assert count(work) == 3 == Kudos.objects.filter(work=work).count()
    summary = kudos_summary(work=work)
    assert summary.usernames == ["bob"]
    assert summary.guest_count == 2
    assert kudos_summary(work=work, viewer=bob).given
    assert not kudos_summary(work=work, viewer=alice).given
    assert not kudos_summary(work=work).given  # nobody asked about
    assert kudos_summary(work=work, viewer=AnonymousUser(), ip="192.0.2.1").given
    assert not kudos_summary(work=work, viewer=AnonymousUser(), ip="192.0.2.3").given
    # A signed-in reader is asked about by account, not by the address they share with guests.
    assert not kudos_summary(work=work, viewer=alice, ip="192.0.2.1").given


def test_second_kudos_is_refused_with_a_message_and_not_counted(alice, bob):
    work = make_work(alice)
    kudos_give(work=work, user=bob)
    with pytest.raises(ValidationError) as exc:
        kudos_give(work=work, user=bob)
    assert exc.value.messages == [ALREADY_MESSAGE]
    kudos_give(work=work, user=None, ip="192.0.2.1")
    with pytest.raises(ValidationError):
        kudos_give(work=work, user=None, ip="192.0.2.1")
    assert count(work) == 2 == Kudos.objects.count()


def test_the_guests_address_is_not_stored(alice):
    work = make_work(alice)
    kudos = kudos_give(work=work, user=None, ip="198.51.100.7")
    assert kudos.guest_key and "198.51.100.7" not in kudos.guest_key
    assert len(kudos.guest_key) == 64


def test_no_kudos_on_ones_own_work(alice):
    work = make_work(alice)
    with pytest.raises(ValidationError) as exc:
        kudos_give(work=work, user=alice)
    assert exc.value.messages == [OWN_WORK_MESSAGE]
    assert count(work) == 0


def test_no_kudos_on_drafts_hidden_works_or_restricted_works_for_guests(alice, bob, moderator):
    draft = make_work(alice, post=False)
    hidden = make_work(alice)
    work_hide(work=hidden, moderator=moderator, reason="Review")
    restricted = make_work(alice, is_restricted=True)
    for work in (draft, hidden):
        with pytest.raises(PermissionDenied):
            kudos_give(work=work, user=bob)
    with pytest.raises(PermissionDenied):
        kudos_give(work=hidden, user=moderator)
    with pytest.raises(PermissionDenied):
        kudos_give(work=restricted, user=None, ip="192.0.2.1")
    kudos_give(work=restricted, user=bob)
    assert not Kudos.objects.exclude(work=restricted).exists()


def test_kudos_of_a_deleted_account_stay_counted_as_a_guests(alice, bob):
    work = make_work(alice)
    kudos_give(work=work, user=bob)
    user_delete(user=bob, works="delete")
    assert count(work) == 1 == Kudos.objects.filter(work=work).count()
    assert kudos_summary(work=work).guest_count == 1


def test_muted_users_names_are_left_out_for_the_muter(alice, bob, reader):
    work = make_work(alice)
    kudos_give(work=work, user=bob)
    kudos_give(work=work, user=reader)
    user_mute(user=alice, muted=bob)
    assert kudos_summary(work=work, viewer=alice).usernames == ["reader"]
    assert kudos_summary(work=work, viewer=reader).usernames == ["bob", "reader"]
