"""Posting and editing works and chapters. Each view parses the request with a form, calls one
service and redirects; only the work's creators get past `_creator_work` (guests are sent to
log in, other users get 403, and other people's drafts do not exist for them: 404).

Previewing an edit (a posted work's metadata, any chapter) or a new chapter stores nothing: the
services' *_update_preview and chapter_create_preview functions run the same checks as the save
on unsaved copies, and the preview page carries the submitted form in hidden fields, so Update
(or Post) sends exactly what was previewed through the ordinary save. A stored "pending edit"
would be a half-way state that readers or a second editor could meet, and one to clean up when
the writer walks away; this has none."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fanfold.core.forms import add_service_errors

from .. import selectors, services
from ..forms import ChapterForm, ChapterOrderForm, WorkForm
from ..models import Chapter, Work

GET_POST = require_http_methods(["GET", "POST"])


def _creator_work(request, work_id: int) -> Work:
    work = get_object_or_404(Work.objects.visible_to(request.user), pk=work_id)
    if not selectors.work_user_is_creator(work=work, user=request.user):
        raise PermissionDenied("Only the work's creators may do that.")
    return work


def _creator_chapter(request, work_id: int, chapter_id: int) -> tuple[Work, Chapter]:
    work = _creator_work(request, work_id)
    return work, get_object_or_404(work.chapters, pk=chapter_id)


def _action(request, allowed: tuple[str, ...], default: str) -> str:
    action = request.POST.get("action", default)
    return action if action in allowed else default


def _drafts_url(user) -> str:
    return reverse("user_drafts", args=[user.username])


def _preview_or_form(request, form, template, context, build_preview, *, save_actions):
    """Preview unsaved input: the preview page when the service's checks pass, the form with
    their messages when they don't. build_preview calls one of the *_preview services."""
    try:
        preview = build_preview()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return render(request, template, context)
    return _edit_preview(request, form, preview, save_actions=save_actions)


def _edit_preview(request, form, preview, *, save_actions):
    """The preview page of an unsaved edit or new chapter; its buttons post the form again (see
    the top)."""
    work = preview.work
    chapter = getattr(preview, "chapter", None)
    visible = [c for c in preview.chapters if c.is_posted or not work.is_posted]
    if chapter is not None:
        shown = [chapter]
        show_work_notes = bool(visible) and chapter is visible[0]
    else:
        # As readers open the work: its first chapter they can see.
        shown = visible[:1]
        show_work_notes = True
    return render(
        request,
        "works/edit_preview.html",
        {
            "form": form,
            "work": work,
            "chapter": chapter,
            "creators": preview.creators,
            "shown_chapters": shown,
            "current_chapter": shown[0] if shown else None,
            "is_chaptered": len(visible) > 1 or work.expected_chapters != 1,
            "show_work_notes": show_work_notes,
            "save_actions": save_actions,
            "is_new_chapter": chapter is not None and chapter.pk is None,
        },
    )


# --- Works -------------------------------------------------------------------------------------


@login_required
@GET_POST
def work_new(request):
    form = WorkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        action = _action(request, ("post", "preview", "draft"), "preview")
        try:
            work = services.work_create(
                user=request.user,
                chapter=form.chapter_input(),
                post=action == "post",
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if action == "post":
                messages.success(request, "Work was successfully posted.")
                return redirect(work)
            if action == "draft":
                messages.success(
                    request,
                    "Draft was successfully created. Only you can see it until you post it.",
                )
                return redirect(_drafts_url(request.user))
            messages.success(request, "Draft was successfully created. Check it, then post it.")
            return redirect("work_preview", work.pk)
    return render(request, "works/work_form.html", {"form": form, "work": None})


@login_required
@GET_POST
def work_edit(request, work_id: int):
    work = _creator_work(request, work_id)
    form = WorkForm(request.POST or None, user=request.user, work=work)
    if request.method == "POST" and form.is_valid():
        # A posted work previews its changes unsaved; a draft's preview is the stored draft.
        allowed = ("update", "preview", "edit") if work.is_posted else ("post", "preview", "draft")
        action = _action(request, allowed, allowed[0])
        if action == "edit":  # back from the preview, the changes still unsaved
            return render(request, "works/work_form.html", {"form": form, "work": work})
        if action == "preview" and work.is_posted:
            return _preview_or_form(
                request,
                form,
                "works/work_form.html",
                {"form": form, "work": work},
                lambda: services.work_update_preview(
                    work=work, user=request.user, **form.service_fields()
                ),
                save_actions=[("update", "Update")],
            )
        try:
            work = services.work_update(
                work=work, user=request.user, post=action == "post", **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if action == "update":
                messages.success(request, "Work was successfully updated.")
                return redirect(work)
            if action == "post":
                messages.success(request, "Work was successfully posted.")
                return redirect(work)
            if action == "draft":
                messages.success(request, "Draft was successfully saved.")
                return redirect(_drafts_url(request.user))
            return redirect("work_preview", work.pk)
    return render(request, "works/work_form.html", {"form": form, "work": work})


@login_required
@GET_POST
def work_preview(request, work_id: int):
    """The work as readers will see it, with Post / Edit / Save as draft. Saving keeps the draft
    (it is already stored) and goes back to the writer's drafts."""
    work = _creator_work(request, work_id)
    if request.method == "POST":
        messages.success(request, "Draft was successfully saved.")
        return redirect(_drafts_url(request.user))
    chapters = list(work.chapters.all())
    return render(
        request,
        "works/work_preview.html",
        {
            "work": work,
            "creators": [creatorship.pseud for creatorship in work.approved_creatorships],
            "chapters": chapters,
            "is_chaptered": len(chapters) > 1,
        },
    )


@login_required
@require_POST
def work_post(request, work_id: int):
    work = _creator_work(request, work_id)
    work = services.work_post(work=work, user=request.user)
    messages.success(request, "Work was successfully posted.")
    return redirect(work)


@login_required
@GET_POST
def work_delete(request, work_id: int):
    work = _creator_work(request, work_id)
    if request.method == "POST":
        title = work.title
        services.work_delete(work=work, user=request.user)
        messages.success(request, f"Your work {title} was deleted.")
        return redirect("user_works", request.user.username)
    return render(request, "works/work_confirm_delete.html", {"work": work})


@login_required
@GET_POST
def work_orphan(request, work_id: int):
    work = _creator_work(request, work_id)
    if request.method == "POST":
        services.work_orphan(work=work, user=request.user)
        messages.success(
            request, f"Your work {work.title} was orphaned: your name is no longer on it."
        )
        return redirect("user_works", request.user.username)
    return render(request, "works/work_confirm_orphan.html", {"work": work})


# --- Chapters ----------------------------------------------------------------------------------


def _after_chapter(work: Work, chapter: Chapter):
    if not work.is_posted:
        return redirect("work_preview", work.pk)
    if not chapter.is_posted:
        return redirect("chapters_manage", work.pk)
    return redirect(chapter)


@login_required
@GET_POST
def chapter_new(request, work_id: int):
    work = _creator_work(request, work_id)
    form = ChapterForm(request.POST or None)
    next_position = work.chapters.count() + 1
    context = {"form": form, "work": work, "chapter": None, "next_position": next_position}
    if request.method == "POST" and form.is_valid():
        action = _action(request, ("post", "draft", "preview", "edit"), "post")
        if action == "edit":  # back from the preview, the chapter still unsaved
            return render(request, "works/chapter_form.html", context)
        if action == "preview":
            return _preview_or_form(
                request,
                form,
                "works/chapter_form.html",
                context,
                lambda: services.chapter_create_preview(
                    work=work, user=request.user, chapter=form.chapter_input()
                ),
                save_actions=_new_chapter_save_actions(work),
            )
        try:
            chapter = services.chapter_create(
                work=work, user=request.user, chapter=form.chapter_input(), post=action == "post"
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not work.is_posted:
                messages.success(request, "Chapter was successfully added to your draft.")
            elif chapter.is_posted:
                messages.success(request, "Chapter was successfully posted.")
            else:
                messages.success(
                    request, "Chapter was saved as a draft. Only the work's creators can see it."
                )
            return _after_chapter(work, chapter)
    return render(request, "works/chapter_form.html", context)


def _new_chapter_save_actions(work: Work) -> list[tuple[str, str]]:
    """The new chapter form's save buttons (chapter_form.html), for the preview page."""
    if work.is_posted:
        return [("post", "Post"), ("draft", "Save As Draft")]
    return [("post", "Add to Draft")]


@login_required
@GET_POST
def chapter_edit(request, work_id: int, chapter_id: int):
    work, chapter = _creator_chapter(request, work_id, chapter_id)
    form = ChapterForm(request.POST or None, chapter=chapter)
    context = {"form": form, "work": work, "chapter": chapter}
    if request.method == "POST" and form.is_valid():
        action = _action(request, ("update", "post", "preview", "edit"), "update")
        if action == "edit":  # back from the preview, the changes still unsaved
            return render(request, "works/chapter_form.html", context)
        if action == "preview":
            return _preview_or_form(
                request,
                form,
                "works/chapter_form.html",
                context,
                lambda: services.chapter_update_preview(
                    chapter=chapter, user=request.user, data=form.chapter_input()
                ),
                save_actions=_chapter_save_actions(work, chapter),
            )
        try:
            chapter = services.chapter_update(
                chapter=chapter, user=request.user, data=form.chapter_input(), post=action == "post"
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Chapter was successfully posted."
                if action == "post" and chapter.is_posted
                else "Chapter was successfully updated.",
            )
            return _after_chapter(work, chapter)
    return render(request, "works/chapter_form.html", context)


def _chapter_save_actions(work: Work, chapter: Chapter) -> list[tuple[str, str]]:
    """The chapter form's save buttons (chapter_form.html), for the preview page."""
    if chapter.is_posted or not work.is_posted:
        return [("update", "Update")]
    return [("update", "Save As Draft"), ("post", "Post")]


@login_required
@GET_POST
def chapter_delete(request, work_id: int, chapter_id: int):
    work, chapter = _creator_chapter(request, work_id, chapter_id)
    error = None
    if request.method == "POST":
        try:
            services.chapter_delete(chapter=chapter, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "The chapter was successfully deleted.")
            if work.is_posted:
                return redirect(work)
            return redirect("work_preview", work.pk)
    is_only = work.chapters.count() == 1
    return render(
        request,
        "works/chapter_confirm_delete.html",
        {"work": work, "chapter": chapter, "is_only": is_only, "error": error},
        status=400 if error else 200,
    )


@login_required
@GET_POST
def chapters_manage(request, work_id: int):
    """AO3's "Manage Chapters": renumber the chapters by typing their new positions."""
    work = _creator_work(request, work_id)
    chapters = list(work.chapters.all())
    form = ChapterOrderForm(request.POST or None, chapters=chapters)
    if request.method == "POST" and form.is_valid():
        try:
            services.chapters_reorder(work=work, user=request.user, chapter_ids=form.chapter_ids())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Chapter order was successfully updated.")
            return redirect("chapters_manage", work.pk)
    return render(request, "works/chapters_manage.html", {"form": form, "work": work})
