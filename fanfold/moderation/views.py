"""Abuse reports from anyone, and the moderators' screens: the queue, a report with its
actions, a user's moderation page, bulk spam deletion and the audit log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fanfold.accounts.models import User
from fanfold.comments.models import Comment
from fanfold.core.forms import add_service_errors
from fanfold.core.pagination import paginate
from fanfold.core.permissions import moderator_required
from fanfold.core.ratelimit import rate_limited
from fanfold.works.models import Work

from . import forms, selectors, services
from .models import AbuseReport, ReportStatus

# A report page's hide and unhide buttons: action -> (the report's field holding the thing,
# whether it is hidden or shown again).
REPORT_VISIBILITY_ACTIONS = {
    "hide": ("work", True),
    "unhide": ("work", False),
    "hide_comment": ("comment", True),
    "unhide_comment": ("comment", False),
}
HIDE_FORMS = {"work": forms.HideWorkForm, "comment": forms.HideCommentForm}


def _hide_or_show(request, thing: Work | Comment, *, hide: bool, form=None) -> bool:
    """Hide the work or the comment pending review (with the reason typed in `form`) or make it
    visible again, and tell the moderator so. Returns whether it was done; when not, `form`
    shows why. The report page and a comment's own Hide link and button share it."""
    moderator = request.user
    if not hide:
        if isinstance(thing, Work):
            services.moderation_work_unhide(work=thing, moderator=moderator)
            messages.success(request, "The work is visible again.")
        else:
            services.moderation_comment_unhide(comment=thing, moderator=moderator)
            messages.success(request, "The comment is visible again.")
        return True
    if form is None or not form.is_valid():
        return False
    reason = form.cleaned_data["reason"]
    try:
        if isinstance(thing, Work):
            services.moderation_work_hide(work=thing, moderator=moderator, reason=reason)
        else:
            services.moderation_comment_hide(comment=thing, moderator=moderator, reason=reason)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    if isinstance(thing, Work):
        messages.success(request, "The work is hidden; its creators have been told.")
    else:
        messages.success(request, "The comment is hidden; its writer has been told.")
    return True


@require_http_methods(["GET", "POST"])
@rate_limited("abuse_report")
def report_new(request):
    """/abuse/report?url=PATH: anyone, guests too, reports a page of the archive."""
    if request.method == "POST":
        form = forms.ReportForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["website"]:
                form.add_error(None, "Your report could not be sent.")
            else:
                try:
                    services.report_create(
                        reporter=request.user,
                        url=form.cleaned_data["url"],
                        category=form.cleaned_data["category"],
                        description=form.cleaned_data["description"],
                        email=form.cleaned_data["email"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request, "Thank you: your report has been sent to the moderators."
                    )
                    return redirect("home")
    else:
        form = forms.ReportForm(initial={"url": request.GET.get("url", "")})
    return render(request, "moderation/report_new.html", {"form": form})


@moderator_required
def queue(request):
    status = request.GET.get("status")
    reports = selectors.report_queue(status=status)
    page = paginate(request, reports)
    return render(
        request,
        "moderation/queue.html",
        {"page_obj": page, "status": status if status in ReportStatus.values else "",
         "statuses": ReportStatus.choices},
    )  # fmt: skip


@moderator_required
@require_http_methods(["GET", "POST"])
def report_detail(request, report_id):
    report = get_object_or_404(
        AbuseReport.objects.select_related(
            "reporter", "work", "reported_user", "comment__user", "comment__work"
        ),
        pk=report_id,
    )
    status_form = forms.ReportStatusForm(initial={"status": report.status})
    hide_forms: dict[str, forms.HideWorkForm | forms.HideCommentForm] = {
        "work": forms.HideWorkForm(),
        "comment": forms.HideCommentForm(),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        kind, hide = REPORT_VISIBILITY_ACTIONS.get(action, ("", False))
        try:
            if action == "status":
                status_form = forms.ReportStatusForm(request.POST)
                if status_form.is_valid():
                    services.report_set_status(
                        report=report, moderator=request.user,
                        status=status_form.cleaned_data["status"],
                        note=status_form.cleaned_data["note"],
                    )  # fmt: skip
                    messages.success(request, "The report's status has been changed.")
                    return redirect(report)
            elif kind and getattr(report, kind) is not None:
                form = None
                if hide:
                    form = hide_forms[kind] = HIDE_FORMS[kind](request.POST)
                if _hide_or_show(request, getattr(report, kind), hide=hide, form=form):
                    return redirect(report)
            else:
                messages.error(request, "That action is not available for this report.")
        except ValidationError as error:
            add_service_errors(status_form, error)
    return render(
        request,
        "moderation/report_detail.html",
        {"report": report, "status_form": status_form, "hide_form": hide_forms["work"],
         "hide_comment_form": hide_forms["comment"]},
    )  # fmt: skip


@moderator_required
@require_http_methods(["GET", "POST"])
def user_moderation(request, username):
    target = get_object_or_404(User, username__iexact=username)
    suspend_form, ban_form = forms.SuspendForm(), forms.BanForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "suspend":
                suspend_form = forms.SuspendForm(request.POST)
                if suspend_form.is_valid():
                    services.user_suspend(user=target, moderator=request.user,
                                          **suspend_form.cleaned_data)  # fmt: skip
                    messages.success(request, f"{target.username} is suspended.")
                    return redirect("moderation_user", target.username)
            elif action == "unsuspend":
                services.user_unsuspend(user=target, moderator=request.user)
                messages.success(request, f"{target.username}'s suspension has ended.")
                return redirect("moderation_user", target.username)
            elif action == "ban":
                ban_form = forms.BanForm(request.POST)
                if ban_form.is_valid():
                    services.user_ban(user=target, moderator=request.user,
                                      **ban_form.cleaned_data)  # fmt: skip
                    messages.success(request, f"{target.username} is banned.")
                    return redirect("moderation_user", target.username)
            elif action == "unban":
                services.user_unban(user=target, moderator=request.user)
                messages.success(request, f"{target.username} may log in again.")
                return redirect("moderation_user", target.username)
            else:
                messages.error(request, "Unknown action.")
        except ValidationError as error:
            add_service_errors(ban_form if action == "ban" else suspend_form, error)
    reports = AbuseReport.objects.filter(reported_user=target).order_by("-created_at")[:50]
    return render(
        request,
        "moderation/user.html",
        {"target": target, "suspend_form": suspend_form, "ban_form": ban_form,
         "reports": reports},
    )  # fmt: skip


@moderator_required
@require_POST
def spam(request):
    """Bulk: treat the chosen reports as spam (ban the accounts, delete their works)."""
    form = forms.SpamForm(request.POST, queryset=selectors.report_queue(status=None))
    if not form.is_valid():
        messages.error(request, "Please choose the reports to treat as spam.")
        return redirect("moderation_queue")
    banned = services.spam_delete_bulk(
        reports=list(form.cleaned_data["reports"]), moderator=request.user,
        reason=form.cleaned_data["reason"],
    )  # fmt: skip
    messages.success(request, f"Spam removed: {banned} account{'s' if banned != 1 else ''} banned.")
    return redirect("moderation_queue")


@moderator_required
def audit(request):
    return render(request, "moderation/audit.html", {"entries": selectors.audit_log()})


def _comment_or_404(comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("user", "work", "news_post"), pk=comment_id, is_deleted=False
    )


@moderator_required
@require_http_methods(["GET", "POST"])
def comment_visibility(request, comment_id: int, action: str):
    """/moderation/comments/ID/hide: a moderator hides a comment pending review, with a reason
    its writer is told (the "Hide" link under every comment, for moderators; GET shows the
    form). /moderation/comments/ID/unhide (POST only): the comment is visible again."""
    comment = _comment_or_404(comment_id)
    hide = action == "hide"
    if not hide and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.HideCommentForm(request.POST or None) if hide else None
    if request.method == "POST" and _hide_or_show(request, comment, hide=hide, form=form):
        return redirect("comment_detail", comment.pk)
    return render(request, "moderation/comment_hide.html", {"comment": comment, "form": form})
