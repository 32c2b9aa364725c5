import pytest
from django.test import Client
from django.urls import reverse

from fanfold.comments.models import Comment
from fanfold.comments.services import comment_create
from fanfold.inbox.models import InboxItem
from fanfold.inbox.services import inbox_add
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text

pytestmark = pytest.mark.django_db


def test_guests_log_in_first():
    assert Client().get(reverse("inbox")).status_code == 302
    assert Client().post(reverse("inbox_update")).status_code == 302


def test_comments_on_ones_work_show_with_an_unread_count(alice, bob, client_for):
    work = make_work(alice, title="Tides")
    comment_create(work=work, user=bob, content="Lovely")
    client = client_for(alice)
    page = client.get(reverse("inbox"))
    assert "bob commented on Tides: Lovely" in text(page)
    assert "Inbox (1)" in text(page)
    # Others see nothing of it.
    assert "Lovely" not in text(client_for(bob).get(reverse("inbox")))


def test_mark_read_unread_delete_and_all_read(alice, client_for):
    first = inbox_add(user=alice, kind="subscription", text="One", url="/works/1")
    second = inbox_add(user=alice, kind="subscription", text="Two", url="/works/1")
    client = client_for(alice)
    client.post(reverse("inbox_update"), {"action": "read", "items": [first.pk]})
    first.refresh_from_db()
    assert first.is_read
    assert "Inbox (1)" in text(client.get(reverse("inbox")))
    assert "One" not in text(client.get(reverse("inbox") + "?show=unread"))
    client.post(reverse("inbox_update"), {"action": "unread", "items": [first.pk]})
    client.post(reverse("inbox_update"), {"action": "all_read"})
    assert not InboxItem.objects.filter(is_read=False).exists()
    client.post(reverse("inbox_update"), {"action": "delete", "items": [second.pk]})
    assert list(InboxItem.objects.all()) == [first]


def test_nothing_selected_or_someone_elses_entry_is_refused(alice, bob, client_for):
    theirs = inbox_add(user=bob, kind="subscription", text="Bob's", url="/works/1")
    client = client_for(alice)
    response = client.post(reverse("inbox_update"), {"action": "delete"}, follow=True)
    assert "Please select at least one message first." in text(response)
    client.post(reverse("inbox_update"), {"action": "delete", "items": [theirs.pk]})
    response = client.post(reverse("inbox_update"), {"action": "explode"}, follow=True)
    assert "Please choose what to do." in text(response)
    assert InboxItem.objects.filter(pk=theirs.pk).exists()


def test_reply_from_the_inbox(alice, bob, client_for):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Question?")
    client = client_for(alice)
    page = client.get(reverse("inbox")).content.decode()
    assert f'name="parent_id" value="{comment.pk}"' in page
    response = client.post(
        reverse("comment_create", args=[work.pk]),
        {"content": "Answer!", "parent_id": comment.pk, "next": "/inbox"},
    )
    assert response["Location"] == "/inbox"
    reply = Comment.objects.get(parent=comment)
    assert reply.user == alice
    assert InboxItem.objects.get(user=bob, kind="reply").comment == reply


def test_each_reply_form_in_the_inbox_has_its_own_field_ids(alice, bob, client_for):
    """The empty comment form's fields are kept once rendered; each inbox entry's form must
    still label its own box (two boxes with one id would send a label to the wrong one)."""
    work = make_work(alice)
    first = comment_create(work=work, user=bob, content="First?")
    second = comment_create(work=work, user=bob, content="Second?")
    page = client_for(alice).get(reverse("inbox")).content.decode()
    ids = [f"id_content_{item.pk}" for item in InboxItem.objects.filter(user=alice)]
    assert len(ids) == 2
    for box in ids:
        assert page.count(f'id="{box}"') == 1
        assert page.count(f'for="{box}"') == 1
    for comment in (first, second):
        assert f'name="parent_id" value="{comment.pk}"' in page


def test_no_reply_form_for_a_deleted_or_frozen_comment(alice, bob, reader, client_for):
    from fanfold.comments.services import comment_delete, comment_freeze

    work = make_work(alice)
    deleted = comment_create(work=work, user=bob, content="Gone soon")
    comment_create(work=work, user=reader, content="Keeps it as a placeholder", parent=deleted)
    frozen = comment_create(work=work, user=bob, content="Cold")
    comment_delete(comment=deleted, user=bob)
    comment_freeze(comment=frozen, user=alice)
    page = client_for(alice).get(reverse("inbox")).content.decode()
    assert f'name="parent_id" value="{deleted.pk}"' not in page
    assert f'name="parent_id" value="{frozen.pk}"' not in page
    assert page.count('<details class="inbox-reply">') == 1  # the reply under the placeholder
