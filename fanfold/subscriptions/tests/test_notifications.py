"""Subscriptions end to end: posting a work or a chapter (or adding a posted work to a series)
enqueues the notification task on commit; the task (run at once in tests) sends the e-mails
and inbox entries, and never tells anyone about drafts, hidden works or their own work."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.inbox.selectors import inbox_items_for_user
from fanfold.series.services import series_add_work, series_create
from fanfold.subscriptions.models import Subscription
from fanfold.subscriptions.services import subscription_create, subscription_delete
from fanfold.testing.factories import make_work
from fanfold.works.services import ChapterInput, chapter_create, work_hide, work_post

pytestmark = pytest.mark.django_db


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_new_chapter_reaches_work_and_writer_subscribers_once(
    alice, bob, reader, django_capture_on_commit_callbacks
):
    work = make_work(alice, title="Long Tide", expected_chapters=None)
    subscription_create(user=bob, work=work)
    subscription_create(user=reader, work=work)
    subscription_create(user=reader, writer=alice)  # two ways, one message
    with django_capture_on_commit_callbacks(execute=True):
        chapter_create(work=work, user=alice, chapter=ChapterInput(content="<p>More sea.</p>"))
    assert recipients() == sorted([bob.email, reader.email])
    message = mail.outbox[0]
    assert "Long Tide: new chapter" in message.subject
    assert "/works/" in message.body and "Chapter 2" in message.body
    assert "/users/" in message.body  # where to unsubscribe
    for user in (bob, reader):
        (item,) = inbox_items_for_user(user=user)
        assert item.text == "New chapter of Long Tide by alice: Chapter 2"
        assert item.url == work.chapters.get(position=2).get_absolute_url()
        assert not item.is_read
    assert not inbox_items_for_user(user=alice).exists()


def test_a_posted_draft_reaches_writer_subscribers_but_not_its_creator(
    alice, bob, reader, django_capture_on_commit_callbacks
):
    subscription_create(user=bob, writer=alice)
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_work(alice, title="Quiet Draft", post=False)
    assert mail.outbox == []  # a draft is nobody's news
    with django_capture_on_commit_callbacks(execute=True):
        work_post(work=draft, user=alice)
    assert recipients() == [bob.email]
    assert "Quiet Draft" in mail.outbox[0].subject
    assert [item.text for item in inbox_items_for_user(user=bob)] == [
        "alice posted a new work: Quiet Draft"
    ]


def test_a_co_creator_is_not_told_about_their_own_work(
    alice, bob, django_capture_on_commit_callbacks
):
    subscription_create(user=bob, writer=alice)
    with django_capture_on_commit_callbacks(execute=True):
        make_work(alice, pseuds=[alice.pseuds.get(), bob.pseuds.get()])
    assert mail.outbox == []


def test_hidden_works_are_not_announced(alice, bob, moderator, django_capture_on_commit_callbacks):
    work = make_work(alice, expected_chapters=None)
    subscription_create(user=bob, work=work)
    work_hide(work=work, moderator=moderator, reason="Review.")
    with django_capture_on_commit_callbacks(execute=True):
        chapter_create(work=work, user=alice, chapter=ChapterInput(content="<p>Hidden.</p>"))
    assert mail.outbox == []
    assert not inbox_items_for_user(user=bob).exists()


def test_draft_chapters_are_not_announced(alice, bob, django_capture_on_commit_callbacks):
    work = make_work(alice, expected_chapters=None)
    subscription_create(user=bob, work=work)
    with django_capture_on_commit_callbacks(execute=True):
        chapter_create(
            work=work, user=alice, chapter=ChapterInput(content="<p>Later.</p>"), post=False
        )
    assert mail.outbox == []


def test_series_subscribers_hear_of_a_posted_work_added(
    alice, bob, django_capture_on_commit_callbacks
):
    series = series_create(user=alice, title="Harbour Cycle")
    series_add_work(series=series, work=make_work(alice), user=alice)
    subscription_create(user=bob, series=series)
    with django_capture_on_commit_callbacks(execute=True):
        series_add_work(series=series, work=make_work(alice, title="Second Tide"), user=alice)
    assert recipients() == [bob.email]
    assert "Harbour Cycle" in mail.outbox[0].subject
    mail.outbox.clear()
    draft = make_work(alice, title="Third Tide", post=False)
    with django_capture_on_commit_callbacks(execute=True):
        series_add_work(series=series, work=draft, user=alice)
    assert mail.outbox == []  # told when it is posted instead
    with django_capture_on_commit_callbacks(execute=True):
        work_post(work=draft, user=alice)
    assert recipients() == [bob.email]


def test_a_rolled_back_post_enqueues_nothing(alice, bob, django_capture_on_commit_callbacks):
    work = make_work(alice, expected_chapters=None)
    subscription_create(user=bob, work=work)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        chapter_create(work=work, user=alice, chapter=ChapterInput(content=""))
    assert mail.outbox == []


def test_subscribing_rules(alice, bob):
    draft = make_work(alice, post=False)
    with pytest.raises(PermissionDenied):
        subscription_create(user=bob, work=draft)
    with pytest.raises(ValidationError):
        subscription_create(user=alice, writer=alice)
    work = make_work(alice)
    first = subscription_create(user=bob, work=work)
    assert subscription_create(user=bob, work=work) == first  # twice is once
    with pytest.raises(PermissionDenied):
        subscription_delete(subscription=first, user=alice)
    subscription_delete(subscription=first, user=bob)
    assert not Subscription.objects.exists()
