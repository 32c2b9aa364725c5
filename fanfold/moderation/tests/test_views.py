"""The moderation pages: who may open them, the report form for guests and users (honeypot,
rate limit), and the moderators' actions through the forms."""

import pytest
from django.test import Client

from fanfold.moderation.models import AbuseReport, AuditLogEntry
from fanfold.moderation.services import report_create, user_suspend
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.django_db
REPORT = {"category": "harassment", "description": "The author threatens readers in the notes."}


@pytest.fixture
def report(alice, reader):
    work = make_work(alice, title="Reported Work")
    return report_create(reporter=reader, url=f"/works/{work.pk}", **REPORT)


def moderation_pages(report):
    return ["/moderation", f"/moderation/reports/{report.pk}", "/moderation/users/alice",
            "/moderation/audit"]  # fmt: skip


def test_guests_are_sent_to_log_in(report):
    for path in moderation_pages(report):
        response = Client().get(path)
        assert response.status_code == 302 and "/login" in response["Location"], path


@pytest.mark.parametrize("who", ["alice", "bob", "reader", "wrangler"])
def test_non_moderators_are_refused(who, report, request, client_for):
    client = client_for(request.getfixturevalue(who))
    for path in moderation_pages(report):
        assert client.get(path).status_code == 403, path
    assert client.post("/moderation/spam", {"reports": [report.pk]}).status_code == 403
    assert AbuseReport.objects.get().status == "open"


@pytest.mark.parametrize("who", ["moderator", "admin_user"])
def test_moderators_and_admins_open_every_page(who, report, request, client_for):
    client = client_for(request.getfixturevalue(who))
    for path in moderation_pages(report):
        assert client.get(path).status_code == 200, path
    assert "Reported Work" in client.get("/moderation").content.decode()


def test_a_guest_reports_a_work(alice):
    work = make_work(alice, title="Bad Work")
    response = Client().post(
        "/abuse/report", {"url": f"/works/{work.pk}", **REPORT, "email": "g@example.org"}
    )
    assert response.status_code == 302
    assert AbuseReport.objects.get().work == work


def test_a_bad_report_shows_the_problem_and_stores_nothing():
    response = Client().post("/abuse/report", {"url": "/nowhere", **REPORT})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your report could not be sent." in page
    assert "no page of this archive" in page
    empty = Client().post("/abuse/report", {"url": "", "category": "", "description": ""})
    assert "This field is required." in empty.content.decode()
    assert not AbuseReport.objects.exists()


def test_a_filled_honeypot_sends_nothing(alice):
    make_work(alice, title="Bad Work")
    response = Client().post(
        "/abuse/report", {"url": "/works", **REPORT, "website": "spam.example"}
    )
    assert "could not be sent" in response.content.decode()
    assert not AbuseReport.objects.exists()


def test_reports_from_one_address_are_rate_limited():
    client = Client(REMOTE_ADDR="192.0.2.50")
    for _ in range(5):
        assert client.post("/abuse/report", {"url": "/works", **REPORT}).status_code == 302
    response = client.post("/abuse/report", {"url": "/works", **REPORT})
    assert response.status_code == 429
    assert AbuseReport.objects.count() == 5


def test_a_moderator_hides_the_reported_work_from_the_report(report, moderator, client_for):
    client = client_for(moderator)
    url = f"/moderation/reports/{report.pk}"
    empty = client.post(url, {"action": "hide", "reason": ""})
    assert "The work was not hidden." in empty.content.decode()
    client.post(url, {"action": "hide", "reason": "Threats in the notes."})
    report.work.refresh_from_db()
    assert report.work.is_hidden
    client.post(url, {"action": "status", "status": "resolved", "note": "Hidden."})
    report.refresh_from_db()
    assert report.status == "resolved" and report.handled_by == moderator
    assert "hide work" in client.get("/moderation/audit").content.decode()


def test_a_moderator_makes_the_reported_work_visible_again(report, moderator, client_for):
    client = client_for(moderator)
    url = f"/moderation/reports/{report.pk}"
    client.post(url, {"action": "hide", "reason": "Threats in the notes."})
    response = client.post(url, {"action": "unhide"}, follow=True)
    assert "The work is visible again." in response.content.decode()
    report.work.refresh_from_db()
    assert not report.work.is_hidden
    assert Client().get(f"/works/{report.work.pk}").status_code == 200
    assert list(AuditLogEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "hide work",
        "unhide work",
    ]


def test_a_report_offers_only_the_actions_for_what_it_is_about(report, moderator, client_for):
    """A report on a work has no comment to hide, and unknown actions do nothing."""
    client = client_for(moderator)
    url = f"/moderation/reports/{report.pk}"
    for action in ("hide_comment", "unhide_comment", "delete everything", ""):
        response = client.post(url, {"action": action, "reason": "Because."})
        assert response.status_code == 200, action
        assert "That action is not available for this report." in response.content.decode()
    report.work.refresh_from_db()
    assert not report.work.is_hidden and not AuditLogEntry.objects.exists()


def test_a_suspended_writer_is_told_why_they_cannot_post(alice, moderator, client_for):
    user_suspend(user=alice, moderator=moderator, days=2, reason="Tag spam.")
    response = client_for(alice).post("/works/new", {"title": "Nope"})
    assert response.status_code == 403
    assert "suspended until" in response.content.decode()
    assert AuditLogEntry.objects.filter(action="suspend user").exists()
