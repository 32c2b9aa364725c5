"""Comments a page at a time under a work or chapter: top-level threads (with all their
replies) per page, oldest first, page links that keep the chapter or entire-work view, a
comment's permalink that lands on its page, and posting that lands on the page showing it."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fanfold.blocking.services import user_mute
from fanfold.comments.models import Comment
from fanfold.comments.selectors import comment_page
from fanfold.comments.services import comment_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("three_per_page")]


@pytest.fixture
def three_per_page():
    with override_settings(FANFOLD_COMMENTS_PER_PAGE=3):
        yield


def threads(work, user, count, *, chapter=None, prefix="Thread"):
    return [
        comment_create(work=work, user=user, content=f"{prefix} {n}", chapter=chapter)
        for n in range(1, count + 1)
    ]


def shown(response) -> list[str]:
    """The comment texts on the page, in order."""
    return re.findall(r"(?:Thread|Reply|Chapter two) \d+", text(response))


def test_threads_are_paged_oldest_first_with_their_replies(alice, bob, reader):
    work = make_work(alice)
    first, *_ = threads(work, bob, 7)
    comment_create(work=work, user=reader, content="Reply 1", parent=first)
    client = Client()
    page_one = client.get(work.get_absolute_url())
    assert shown(page_one) == ["Thread 1", "Reply 1", "Thread 2", "Thread 3"]
    # The heading counts every comment the reader may see, not just this page's.
    assert "Comments (8)" in text(page_one)
    assert shown(client.get(work.get_absolute_url(), {"comments_page": 3})) == ["Thread 7"]
    # Page links, without JavaScript: plain links to the work's own address.
    assert f'href="/works/{work.pk}?comments_page=2#comments"' in page_one.content.decode()


def test_a_bad_page_number_shows_the_nearest_page_not_an_error(alice, bob):
    work = make_work(alice)
    threads(work, bob, 4)
    client = Client()
    assert shown(client.get(work.get_absolute_url(), {"comments_page": "99"})) == ["Thread 4"]
    response = client.get(work.get_absolute_url(), {"comments_page": "two"})
    assert response.status_code == 200
    assert shown(response) == ["Thread 1", "Thread 2", "Thread 3"]


def test_page_links_keep_the_entire_work_and_chapter_views(alice, bob):
    work = make_work(alice, chapters=2)
    one, two = work.chapters.order_by("position")
    threads(work, bob, 4, chapter=two, prefix="Chapter two")
    threads(work, bob, 4)  # on the work as a whole: shown only on the entire work
    client = Client()
    chapter_page = client.get(two.get_absolute_url()).content.decode()
    assert f'href="{two.get_absolute_url()}?comments_page=2#comments"' in chapter_page
    whole = client.get(work.get_absolute_url(), {"view_full_work": "true"}).content.decode()
    assert f"/works/{work.pk}?view_full_work=true&amp;comments_page=2#comments" in whole
    assert "Chapter two" not in text(client.get(one.get_absolute_url()))


def test_the_permalink_lands_on_the_page_and_anchor_of_the_comment(alice, bob, reader):
    work = make_work(alice, chapters=2)
    two = work.chapters.order_by("position").last()
    made = threads(work, bob, 5, chapter=two)
    reply = comment_create(work=work, user=reader, content="Reply 1", parent=made[4])
    response = Client().get(reverse("comment_permalink", args=[reply.pk]))
    assert response.status_code == 302
    assert response["Location"] == (f"{two.get_absolute_url()}?comments_page=2#comment-{reply.pk}")
    assert f'id="comment-{reply.pk}"' in Client().get(response["Location"]).content.decode()
    # The first page needs no page number; a comment on the whole work opens the entire work,
    # which shows every chapter's comments too (so this sixth thread is on its second page).
    first = Client().get(reverse("comment_permalink", args=[made[0].pk]))
    assert first["Location"] == f"{two.get_absolute_url()}#comment-{made[0].pk}"
    on_work = comment_create(work=work, user=bob, content="On the whole work")
    whole = Client().get(reverse("comment_permalink", args=[on_work.pk]))
    assert whole["Location"] == (
        f"/works/{work.pk}?view_full_work=true&comments_page=2#comment-{on_work.pk}"
    )


def test_the_page_of_a_comment_is_the_viewers_page(alice, bob, reader):
    """A reader who muted someone sees fewer threads per page before a comment, so its
    permalink sends them to the page where they see it."""
    work = make_work(alice)
    threads(work, reader, 3)
    last = comment_create(work=work, user=bob, content="Thread 4")
    assert (
        Client()
        .get(reverse("comment_permalink", args=[last.pk]))["Location"]
        .endswith(f"?comments_page=2#comment-{last.pk}")
    )
    user_mute(user=alice, muted=reader)
    client = Client()
    client.force_login(alice)
    assert client.get(reverse("comment_permalink", args=[last.pk]))["Location"] == (
        f"/works/{work.pk}#comment-{last.pk}"
    )


def test_the_permalink_of_a_comment_nobody_may_see_is_not_found(alice, bob, client_for):
    restricted = make_work(alice, is_restricted=True)
    comment = comment_create(work=restricted, user=bob, content="Members only")
    url = reverse("comment_permalink", args=[comment.pk])
    assert "/login" in Client().get(url)["Location"]  # guests log in first
    assert client_for(bob).get(url)["Location"] == f"/works/{restricted.pk}#comment-{comment.pk}"
    assert Client().get(reverse("comment_permalink", args=[999_999])).status_code == 404


def test_posting_a_comment_or_reply_lands_on_the_page_showing_it(alice, bob, reader, client_for):
    work = make_work(alice)
    made = threads(work, bob, 4)
    client = client_for(reader)
    response = client.post(reverse("comment_create", args=[work.pk]), {"content": "Thread 5"})
    new = Comment.objects.get(content__contains="Thread 5")
    assert response["Location"] == f"/works/{work.pk}?comments_page=2#comment-{new.pk}"
    page = client.get(response["Location"])
    assert "Comment created!" in text(page) and f'id="comment-{new.pk}"' in page.content.decode()
    # A reply to a first-page thread lands on the first page.
    response = client.post(
        reverse("comment_create", args=[work.pk]), {"content": "Reply 1", "parent_id": made[0].pk}
    )
    reply = Comment.objects.get(content__contains="Reply 1")
    assert response["Location"] == f"/works/{work.pk}#comment-{reply.pk}"


def test_a_page_loads_only_its_own_threads(alice, bob, django_assert_max_num_queries):
    work = make_work(alice)
    threads(work, bob, 10)
    page = comment_page(work=work, viewer=None, is_creator=False, page_number=2)
    assert [node.comment.content for node in page.threads] == ["Thread 4", "Thread 5", "Thread 6"]
    assert page.total == 10 and page.page.paginator.num_pages == 4
    with django_assert_max_num_queries(4):  # count, the page's roots, their comments, total
        comment_page(work=work, viewer=None, is_creator=False, page_number=3)


@pytest.mark.parametrize("per_chapter", [False, True])
def test_a_guests_threads_are_counted_by_the_same_rule_as_everyone_elses(
    alice, bob, reader, moderator, per_chapter
):
    """A guest's thread count is read by hand (the work page's most common reader): it counts
    exactly the threads the shared visibility rule gives a guest, and no waiting, hidden or
    other-chapter ones."""
    from django.contrib.auth.models import AnonymousUser

    from fanfold.comments.selectors import _visible
    from fanfold.comments.services import comment_delete, comment_hide, comment_settings_update

    work = make_work(alice, chapters=2)
    first, second = work.chapters.order_by("position")
    chapter = first if per_chapter else None
    published, kept = threads(work, bob, 2, chapter=first)
    comment_create(work=work, user=reader, content="Reply 1", parent=kept)
    comment_delete(comment=kept, user=bob)  # stays as a placeholder: it has a reply
    hidden = comment_create(work=work, user=reader, content="Thread 3", chapter=first)
    comment_hide(comment=hidden, moderator=moderator, reason="Spam")
    threads(work, bob, 1, chapter=second, prefix="Chapter two")
    comment_settings_update(work=work, user=alice, moderated=True)
    comment_create(work=work, user=reader, content="Thread 4", chapter=first)  # waits

    guest = AnonymousUser()
    counted = comment_page(work=work, viewer=guest, is_creator=False, chapter=chapter)
    by_rule = _visible(
        Comment.objects.filter(work=work, **({"chapter": chapter} if chapter else {})),
        viewer=guest,
        is_creator=False,
    ).filter(parent__isnull=True)
    assert counted.page.paginator.count == by_rule.count() == (2 if per_chapter else 3)
    assert [node.comment.pk for node in counted.threads][:2] == [published.pk, kept.pk]
