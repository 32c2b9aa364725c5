"""Reading a work: the work page (chapter by chapter or the entire work), one chapter, and the
chapter index, with AO3's rules for drafts, restricted works and hits."""

import hashlib
import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from fanfold.core.ratelimit import client_ip
from fanfold.readings.services import reading_record
from fanfold.works import selectors
from fanfold.works.services import work_hit_record

RESTRICTED_MESSAGE = "This work is only available to registered users of the Archive."


def _work_or_404(request, work_id):
    work = selectors.work_get_for_reading(work_id=work_id, user=request.user)
    if work is None:
        raise Http404("No such work.")
    return work


def _guest_login_redirect(request, work):
    """Restricted works send guests to log in, and back here afterwards (as on AO3)."""
    if work.is_restricted and not request.user.is_authenticated:
        messages.error(request, RESTRICTED_MESSAGE)
        return redirect_to_login(request.get_full_path())
    return None


def hit_visitor(request) -> str:
    """Who is reading, for counting hits once per visitor per day: the user id, or for guests a
    keyed hash of the IP address (the address itself is never stored). Behind a reverse proxy
    the address is the client's (client_ip), not the proxy's, or every guest were one visitor."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    address = client_ip(request)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _record_hit(request, work, is_creator: bool) -> None:
    if not work.is_posted or is_creator:
        return
    if work_hit_record(work=work, visitor=hit_visitor(request), day=timezone.localdate()):
        # The page shows the count with this visit in it.
        work.hit_count += 1


def _render_work(request, work_id, *, chapter_id=None):
    work = _work_or_404(request, work_id)
    if response := _guest_login_redirect(request, work):
        return response
    is_creator = selectors.work_user_is_creator(work=work, user=request.user)
    full_view = chapter_id is None and request.GET.get("view_full_work") == "true"
    # When every chapter will be shown (the entire work, or a one-shot, the common case), the
    # index is loaded with the text once instead of being fetched a second time to show it.
    shows_all = full_view or (chapter_id is None and work.chapter_count <= 1)
    index = selectors.chapter_list_for_reading(
        work=work, is_creator=is_creator, with_text=shows_all
    )

    if chapter_id is not None:
        current = selectors.chapter_get_for_reading(
            work=work, chapter_id=chapter_id, is_creator=is_creator
        )
        if current is None:
            raise Http404("This work has no such chapter.")
        shown = [current]
    elif full_view or len(index) <= 1:
        if not shows_all:  # a creator's draft chapters make the index longer than the count
            index = selectors.chapter_list_for_reading(
                work=work, is_creator=is_creator, with_text=True
            )
        shown = index
        current = shown[0] if len(shown) == 1 else None
    else:
        # AO3 opens a multi-chapter work at its first posted chapter.
        first = next((chapter for chapter in index if chapter.is_posted), index[0])
        current = selectors.chapter_get_for_reading(
            work=work, chapter_id=first.pk, is_creator=is_creator
        )
        shown = [current]

    previous_chapter = next_chapter = None
    if current is not None:
        ids = [chapter.pk for chapter in index]
        at = ids.index(current.pk)
        previous_chapter = index[at - 1] if at > 0 else None
        next_chapter = index[at + 1] if at + 1 < len(index) else None

    _record_hit(request, work, is_creator)
    # History: a chapter opened by name becomes the one to continue at; the work's front page
    # only updates when the work was last opened.
    reading_record(user=request.user, work=work, chapter=current if chapter_id else None)
    # A work is "chaptered" (chapter headings, navigation) as soon as it has or plans more than
    # one chapter, like AO3's "1/?" works.
    is_chaptered = len(index) > 1 or work.expected_chapters != 1
    at_start = full_view or current is None or previous_chapter is None
    at_end = full_view or current is None or next_chapter is None
    return render(
        request,
        "works/work_detail.html",
        {
            "work": work,
            "is_creator": is_creator,
            "chapters": index,
            "shown_chapters": shown,
            "current_chapter": current if not full_view else None,
            "previous_chapter": previous_chapter,
            "next_chapter": next_chapter,
            "full_view": full_view,
            "is_chaptered": is_chaptered,
            "show_work_notes": at_start,
            "show_end_notes": at_end,
            "tags": work.tags_by_type(),
        },
    )


def work_detail(request, work_id):
    """/works/ID: a one-chapter work, the first chapter of a longer one, or with
    ?view_full_work=true every chapter on one page."""
    return _render_work(request, work_id)


def chapter_detail(request, work_id, chapter_id):
    """/works/ID/chapters/CID: one chapter, with previous/next links and the chapter index."""
    return _render_work(request, work_id, chapter_id=chapter_id)


def work_navigate(request, work_id):
    """/works/ID/navigate: AO3's chapter index page. With ?selected_id=CID (the chapter select
    of the work page, submitted without JavaScript) it goes to that chapter."""
    work = _work_or_404(request, work_id)
    if response := _guest_login_redirect(request, work):
        return response
    is_creator = selectors.work_user_is_creator(work=work, user=request.user)
    index = selectors.chapter_list_for_reading(work=work, is_creator=is_creator)
    selected = request.GET.get("selected_id")
    if selected:
        chapter = next((c for c in index if str(c.pk) == selected.strip()), None)
        if chapter is None:
            raise Http404("This work has no such chapter.")
        return redirect(chapter.get_absolute_url())
    return render(
        request,
        "works/work_navigate.html",
        {"work": work, "is_creator": is_creator, "chapters": index},
    )
