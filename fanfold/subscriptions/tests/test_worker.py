"""The notification task through the real queue: with the database task backend the post only
stores a task row; nothing is sent until the worker (`fanfold db_worker`) runs it."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from fanfold.inbox.selectors import inbox_items_for_user
from fanfold.subscriptions.services import subscription_create
from fanfold.testing.factories import make_work
from fanfold.works.services import ChapterInput, chapter_create

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_sends_the_email_and_makes_the_inbox_entry(alice, bob):
    from django_tasks_db.models import DBTaskResult

    work = make_work(alice, title="Tides", expected_chapters=None)
    subscription_create(user=bob, work=work)
    # Other apps queue their own tasks for a posted chapter (search, originality, counts).
    ours = DBTaskResult.objects.filter(task_path__contains="subscriptions")
    queued = ours.count()  # posting the work queued one too
    chapter_create(work=work, user=alice, chapter=ChapterInput(content="<p>A new wave.</p>"))
    assert ours.count() == queued + 1
    assert mail.outbox == [] and not inbox_items_for_user(user=bob).exists()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [message.to for message in mail.outbox] == [[bob.email]]
    assert "Tides: new chapter" in mail.outbox[0].subject
    (item,) = inbox_items_for_user(user=bob)
    assert item.text.startswith("New chapter of Tides")
    assert set(ours.values_list("status", flat=True)) == {"SUCCESSFUL"}
