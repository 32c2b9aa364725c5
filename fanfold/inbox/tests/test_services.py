import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from fanfold.inbox.models import InboxItem
from fanfold.inbox.selectors import inbox_items_for_user, inbox_unread_count
from fanfold.inbox.services import (
    MAX_TEXT,
    inbox_add,
    inbox_delete,
    inbox_mark,
    inbox_mark_all_read,
)
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.django_db


def test_added_entry_is_unread_and_counted(alice):
    work = make_work(alice)
    item = inbox_add(
        user=alice, kind="subscription", text="New chapter", url=f"/works/{work.pk}", work=work
    )
    assert not item.is_read
    assert list(inbox_items_for_user(user=alice)) == [item]
    assert inbox_unread_count(user=alice) == 1


def test_marking_read_and_unread_changes_the_count_of_the_owner_only(alice, bob):
    mine = inbox_add(user=alice, kind="comment", text="Hello", url="/works/1")
    theirs = inbox_add(user=bob, kind="comment", text="Hello", url="/works/1")
    assert inbox_mark(user=alice, item_ids=[mine.pk, theirs.pk]) == 1
    assert inbox_unread_count(user=alice) == 0
    assert inbox_unread_count(user=bob) == 1
    inbox_mark(user=alice, item_ids=[mine.pk], read=False)
    assert inbox_unread_count(user=alice) == 1
    inbox_mark_all_read(user=alice)
    assert inbox_unread_count(user=alice) == 0


def test_delete_removes_only_the_owners_entries(alice, bob):
    mine = inbox_add(user=alice, kind="reply", text="Hi", url="/works/1")
    theirs = inbox_add(user=bob, kind="reply", text="Hi", url="/works/1")
    assert inbox_delete(user=alice, item_ids=[mine.pk, theirs.pk]) == 1
    assert list(InboxItem.objects.all()) == [theirs]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"text": "   "}, "text"),
        ({"url": "https://elsewhere.example/"}, "url"),
        ({"url": "//elsewhere.example/"}, "url"),
        ({"url": ""}, "url"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(alice, fields, field):
    arguments = {"user": alice, "kind": "comment", "text": "Hi", "url": "/works/1"} | fields
    with pytest.raises(ValidationError) as exc:
        inbox_add(**arguments)
    assert field in exc.value.message_dict
    assert not InboxItem.objects.exists()


def test_guests_have_no_inbox(db):
    with pytest.raises(ValidationError):
        inbox_add(user=AnonymousUser(), kind="comment", text="Hi", url="/works/1")
    assert inbox_unread_count(user=AnonymousUser()) == 0


def test_long_text_is_cut_not_refused(alice):
    item = inbox_add(user=alice, kind="comment", text="word " * 1000, url="/works/1")
    assert len(item.text) <= MAX_TEXT
    assert item.text.endswith("…")
