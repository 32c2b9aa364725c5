import pytest
from django.core.exceptions import ValidationError

from fanfold.blocking.models import Block, Mute
from fanfold.blocking.selectors import user_has_blocked, user_has_muted
from fanfold.blocking.services import user_block, user_mute, user_unblock, user_unmute
from fanfold.testing.factories import make_work
from fanfold.works.selectors import (
    work_get_for_reading,
    work_list_for_tag,
    work_list_newest,
    work_list_posted,
    works_posted_visible_to,
)

pytestmark = pytest.mark.django_db


def test_block_and_unblock_twice_is_harmless(alice, bob):
    user_block(user=alice, blocked=bob)
    user_block(user=alice, blocked=bob)
    assert Block.objects.count() == 1
    assert user_has_blocked(blocker=alice, user=bob)
    assert not user_has_blocked(blocker=bob, user=alice)
    user_unblock(user=alice, blocked=bob)
    user_unblock(user=alice, blocked=bob)
    assert not user_has_blocked(blocker=alice, user=bob)


def test_mute_and_unmute(alice, bob):
    user_mute(user=alice, muted=bob)
    user_mute(user=alice, muted=bob)
    assert Mute.objects.count() == 1 and user_has_muted(muter=alice, user=bob)
    user_unmute(user=alice, muted=bob)
    assert not user_has_muted(muter=alice, user=bob)


@pytest.mark.parametrize("service", [user_block, user_mute])
def test_nobody_blocks_or_mutes_themselves_or_nobody(alice, service):
    keyword = "blocked" if service is user_block else "muted"
    with pytest.raises(ValidationError) as exc:
        service(user=alice, **{keyword: alice})
    assert "yourself" in exc.value.message_dict["username"][0]
    with pytest.raises(ValidationError) as exc:
        service(user=alice, **{keyword: None})
    assert "no user" in exc.value.message_dict["username"][0]
    assert not Block.objects.exists() and not Mute.objects.exists()


def test_muted_users_works_leave_every_listing_and_count_of_the_muter_only(alice, bob, reader):
    alices = make_work(alice, fandoms=["Harbour"])
    bobs = make_work(bob, fandoms=["Harbour"])
    # A work bob co-created with reader is bob's too: it goes.
    shared = make_work(reader, pseuds=[reader.pseuds.get(), bob.pseuds.get()], fandoms=["Harbour"])
    user_mute(user=alice, muted=bob)
    assert set(works_posted_visible_to(alice)) == {alices}
    assert works_posted_visible_to(alice).count() == 1
    assert bobs not in work_list_newest(user=alice, limit=10)
    assert shared not in work_list_posted(viewer=alice)
    from fanfold.tags.models import Tag

    tag = Tag.objects.get(name="Harbour")
    assert list(work_list_for_tag(tag=tag, viewer=alice)) == [alices]
    # Others still see everything; the muter can still open the page of a muted user's work.
    assert set(works_posted_visible_to(reader)) == {alices, bobs, shared}
    assert set(works_posted_visible_to(None)) == {alices, bobs, shared}
    assert work_get_for_reading(work_id=bobs.pk, user=alice) is not None
