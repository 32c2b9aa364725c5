"""Reports on comments: the "Report" link under each comment opens the report form with the
comment's address, the report records the comment (and its writer), and the moderators' queue
and report page show it and hide it or make it visible again."""

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.comments.services import comment_create
from fanfold.moderation.models import AbuseReport, AuditLogEntry
from fanfold.moderation.services import report_create, spam_delete_bulk
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db
REPORT = {"category": "spam", "description": "An advertisement posted as a comment."}


@pytest.fixture
def comment(alice, bob):
    work = make_work(alice, title="Tides")
    return comment_create(work=work, user=bob, content="<p>Buy cheap things</p>")


def test_the_report_link_under_a_comment_fills_in_its_address(comment, bob, reader, client_for):
    work_page = Client().get(comment.work.get_absolute_url()).content.decode()
    link = f"{reverse('report_new')}?url=%2Fcomments%2F{comment.pk}"
    assert link in work_page
    # Not under one's own comment.
    assert link not in client_for(bob).get(comment.work.get_absolute_url()).content.decode()
    form = Client().get(link).content.decode()
    assert f'value="/comments/{comment.pk}"' in form


def test_a_guest_reports_a_comment_and_the_report_records_it(comment, bob):
    response = Client().post(
        reverse("report_new"), {"url": f"/comments/{comment.pk}", "website": "", **REPORT}
    )
    assert response.status_code == 302
    report = AbuseReport.objects.get()
    assert report.comment == comment and report.reported_user == bob
    assert report.work is None  # acting on it must not touch the work's creators
    # Any page of the comment (its edit page, its permalink) names the same comment.
    again = report_create(reporter=None, url=f"/comments/{comment.pk}/permalink", **REPORT)
    assert again.comment == comment and again.url == f"/comments/{comment.pk}"


def test_a_report_on_a_comment_that_is_gone_is_refused(comment):
    response = Client().post(reverse("report_new"), {"url": "/comments/999999", **REPORT})
    assert "That comment does not exist (any more)." in text(response)
    assert not AbuseReport.objects.exists()


def test_the_queue_and_the_report_show_the_comment_and_hide_it(comment, moderator, client_for):
    report = report_create(reporter=None, url=f"/comments/{comment.pk}", **REPORT)
    client = client_for(moderator)
    queue = text(client.get(reverse("moderation_queue")))
    assert "About a comment by bob on “Tides”" in queue
    url = reverse("moderation_report", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Buy cheap things" in page and reverse("comment_detail", args=[comment.pk]) in page
    empty = client.post(url, {"action": "hide_comment", "reason": ""})
    assert "The comment was not hidden." in text(empty)
    client.post(url, {"action": "hide_comment", "reason": "Advertising"})
    comment.refresh_from_db()
    assert comment.is_hidden and Work.objects.get(pk=comment.work_id).comment_count == 0
    assert "Hidden since" in text(client.get(url))
    client.post(url, {"action": "unhide_comment"})
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert list(AuditLogEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "hide comment",
        "unhide comment",
    ]


def test_non_moderators_cannot_hide_from_a_report(comment, alice, client_for):
    report = report_create(reporter=None, url=f"/comments/{comment.pk}", **REPORT)
    url = reverse("moderation_report", args=[report.pk])
    response = client_for(alice).post(url, {"action": "hide_comment", "reason": "Mine"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_bulk_spam_bans_the_comments_writer_not_the_works_creator(comment, alice, bob, moderator):
    report = report_create(reporter=None, url=f"/comments/{comment.pk}", **REPORT)
    assert spam_delete_bulk(reports=[report], moderator=moderator, reason="spam") == 1
    bob.refresh_from_db()
    alice.refresh_from_db()
    assert not bob.is_active and alice.is_active
