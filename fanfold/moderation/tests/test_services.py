"""Moderation services: reports, hiding works, suspending, banning, bulk spam, and the audit log
that records each action. moderator may; alice, bob and reader may not."""

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from fanfold.conftest import PASSWORD
from fanfold.moderation.models import AbuseReport, AuditLogEntry, ReportStatus
from fanfold.moderation.services import (
    moderation_work_hide,
    moderation_work_unhide,
    report_create,
    report_set_status,
    spam_delete_bulk,
    user_ban,
    user_suspend,
    user_unban,
    user_unsuspend,
)
from fanfold.testing.factories import make_work
from fanfold.works.models import Work
from fanfold.works.services import ChapterInput, chapter_create

pytestmark = pytest.mark.django_db


def _report(reporter, url, **fields):
    values = {"category": "spam", "description": "This is an advertisement, not a story."}
    values.update(fields)
    return report_create(reporter=reporter, url=url, **values)


def test_a_report_knows_which_work_or_user_it_is_about(alice, reader):
    work = make_work(alice, title="Reported")
    about_work = _report(reader, f"http://127.0.0.1:8000/works/{work.pk}")
    about_user = _report(None, "/users/alice", email="guest@example.org")
    assert about_work.work == work and about_work.url == f"/works/{work.pk}"
    assert about_user.reported_user == alice and about_user.reporter is None
    assert about_user.reporter_email == "guest@example.org"


@pytest.mark.parametrize(
    "url, fields, field, message",
    [
        ("https://elsewhere.example/works/1", {}, "url", "page of this archive"),
        ("/no/such/page", {}, "url", "no page of this archive"),
        ("/works/999999", {}, "url", "does not exist"),
        ("/users/nobody-at-all", {}, "url", "does not exist"),
        ("/works", {"description": "bad"}, "description", "describe the problem"),
        ("/works", {"description": "x" * 5001}, "description", "under 5000"),
        ("/works", {"category": "nonsense"}, "category", "choose what the problem is"),
    ],
)
def test_bad_reports_are_refused_with_a_message_and_not_stored(url, fields, field, message):
    with pytest.raises(ValidationError) as error:
        _report(None, url, **fields)
    assert message in " ".join(error.value.message_dict[field])
    assert not AbuseReport.objects.exists()


def test_hiding_tells_the_creators_and_is_audited(
    alice, moderator, django_capture_on_commit_callbacks
):
    work = make_work(alice, title="Copied Story")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_work_hide(work=work, moderator=moderator, reason="Reported as a repost.")
    assert Work.objects.get(pk=work.pk).is_hidden
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "Reported as a repost." in mail.outbox[0].body
    entry = AuditLogEntry.objects.get()
    assert (entry.actor_name, entry.action) == ("mod", "hide work")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_work_unhide(work=work, moderator=moderator)
    assert not Work.objects.get(pk=work.pk).is_hidden
    assert [e.action for e in AuditLogEntry.objects.order_by("pk")] == ["hide work", "unhide work"]


@pytest.mark.parametrize("who", ["alice", "bob", "reader"])
def test_only_moderators_moderate(who, alice, bob, request):
    actor = request.getfixturevalue(who)
    work = make_work(alice, title="Fine")
    report = _report(bob, f"/works/{work.pk}")
    with pytest.raises(PermissionDenied):
        moderation_work_hide(work=work, moderator=actor, reason="no")
    with pytest.raises(PermissionDenied):
        report_set_status(report=report, moderator=actor, status=ReportStatus.DISMISSED)
    with pytest.raises(PermissionDenied):
        user_suspend(user=bob if who != "bob" else alice, moderator=actor, days=3, reason="no")
    with pytest.raises(PermissionDenied):
        spam_delete_bulk(reports=[report], moderator=actor, reason="no")
    assert not AuditLogEntry.objects.exists()


def test_moderators_cannot_act_on_moderators_admins_or_themselves(moderator, admin_user):
    other_moderator = type(moderator).objects.create_user("mod2", is_moderator=True)
    for target in (other_moderator, admin_user, moderator):
        with pytest.raises(PermissionDenied):
            user_ban(user=target, moderator=moderator, reason="no")
    # An admin may act on a moderator.
    user_suspend(user=other_moderator, moderator=admin_user, days=1, reason="Cooling off.")


def test_a_suspended_user_cannot_post_until_the_suspension_ends(alice, moderator):
    work = make_work(alice, title="Before")
    user_suspend(user=alice, moderator=moderator, days=7, reason="Spamming tags.")
    alice.refresh_from_db()
    with pytest.raises(PermissionDenied, match="suspended until"):
        make_work(alice, title="During")
    with pytest.raises(PermissionDenied, match="suspended until"):
        chapter_create(work=work, user=alice, chapter=ChapterInput(content="<p>More.</p>"))
    user_unsuspend(user=alice, moderator=moderator)
    alice.refresh_from_db()
    make_work(alice, title="After")


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_a_suspension_needs_a_sensible_length_and_a_reason(alice, moderator, days):
    with pytest.raises(ValidationError) as error:
        user_suspend(user=alice, moderator=moderator, days=days, reason="")
    assert set(error.value.message_dict) == {"days", "reason"}
    alice.refresh_from_db()
    assert not alice.is_suspended


def test_a_banned_user_cannot_log_in_and_spam_works_go(alice, bob, moderator):
    make_work(alice, title="Spam One")
    shared = make_work(
        bob, title="Shared", pseuds=[bob.pseuds.get(), alice.pseuds.get(is_default=True)]
    )
    assert user_ban(user=alice, moderator=moderator, reason="Spam.", delete_works=True) == 2
    request = RequestFactory().post("/login")
    assert authenticate(request, username="alice", password=PASSWORD) is None
    assert list(Work.objects.values_list("title", flat=True)) == ["Shared"]
    assert [c.pseud.user for c in shared.creatorships.all()] == [bob]
    user_unban(user=alice, moderator=moderator)
    assert authenticate(request, username="alice", password=PASSWORD) is not None


def test_bulk_spam_bans_every_reported_account_and_resolves_the_reports(
    alice, bob, reader, moderator
):
    spam_work = make_work(alice, title="Buy Now")
    reports = [_report(reader, f"/works/{spam_work.pk}"), _report(reader, "/users/bob")]
    assert spam_delete_bulk(reports=reports, moderator=moderator, reason="spam wave") == 2
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert not alice.is_active and not bob.is_active
    assert not Work.objects.filter(pk=spam_work.pk).exists()
    assert set(AbuseReport.objects.values_list("status", flat=True)) == {ReportStatus.RESOLVED}
    actions = list(AuditLogEntry.objects.values_list("action", flat=True))
    assert actions.count("ban user") == 2 and actions.count("report resolved") == 2


def test_bulk_spam_needs_reports(moderator):
    with pytest.raises(ValidationError):
        spam_delete_bulk(reports=[], moderator=moderator, reason="")
