"""Accounts and pseuds: sign-up, logging in and out, passwords, deleting an account, the user
and pseud pages. Views parse the request, call a service or selector, and render."""

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from fanfold.core.forms import add_service_errors
from fanfold.core.models import ArchiveConfig
from fanfold.core.ratelimit import rate_limited
from fanfold.works import selectors
from fanfold.works.models import Work

from . import forms, services
from .models import Pseud, User

# How many works the user and pseud pages show before "all works".
RECENT_WORKS = 5


def _user_or_404(username: str) -> User:
    return get_object_or_404(User, username__iexact=username)


def _pseud_or_404(owner: User, pseud_name: str) -> Pseud:
    return get_object_or_404(
        Pseud.objects.select_related("user"), user=owner, name__iexact=pseud_name
    )


def _owner_only(request, username: str) -> User:
    """The user named in the URL, who must be the one logged in (others get 403; guests never
    get here: the views are wrapped in login_required)."""
    owner = _user_or_404(username)
    if owner.pk != request.user.pk:
        raise PermissionDenied("Only the account's owner may do that.")
    return owner


def _posted(request):
    """The submitted data for a form, or None on GET (an empty POST still shows errors)."""
    return request.POST if request.method == "POST" else None


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Sign up, log in, log out ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        messages.info(request, "You are already logged in.")
        return redirect(request.user.get_absolute_url())
    config = ArchiveConfig.load()
    invitation_only = config.invitation_only
    if request.method == "POST":
        form = forms.SignupForm(
            request.POST, invitation_only=invitation_only, minimum_age=config.minimum_age
        )
        if form.is_valid():
            try:
                user = form.save()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    f"Welcome to {settings.SITE_NAME}, {user.username}! Your account has been "
                    "created and you are logged in.",
                )
                return redirect(user.get_absolute_url())
    else:
        form = forms.SignupForm(
            initial={"invitation_code": request.GET.get("invitation", "")},
            invitation_only=invitation_only,
            minimum_age=config.minimum_age,
        )
    return render(
        request, "registration/signup.html", {"form": form, "invitation_only": invitation_only}
    )


class _LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if not form.cleaned_data.get("remember_me"):
            # Without "Remember me" the session ends when the browser closes (as on AO3).
            self.request.session.set_expiry(0)
        messages.success(self.request, "Successfully logged in.")
        return response


login = _LoginView.as_view()


@require_http_methods(["GET", "POST"])
def logout(request):
    """POST logs out; GET (a bookmarked or typed link) asks first, since a link must not log
    anyone out."""
    if request.method == "POST":
        was_logged_in = request.user.is_authenticated
        auth.logout(request)
        if was_logged_in:
            messages.success(request, "You have successfully logged out.")
        return redirect(_safe_next(request, reverse(settings.LOGOUT_REDIRECT_URL)))
    if not request.user.is_authenticated:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    return render(request, "registration/logout.html")


# --- Passwords ---------------------------------------------------------------------------


class _PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.ResetPasswordRequestForm
    template_name = "registration/password_reset_request.html"
    email_template_name = "registration/password_reset_mail.txt"
    subject_template_name = "registration/password_reset_mail_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_name": settings.SITE_NAME}
        return super().form_valid(form)


password_reset = _PasswordResetView.as_view()
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_sent.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=forms.ResetPasswordForm,
    template_name="registration/password_reset_new_password.html",
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_finished.html"
)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request, username):
    owner = _owner_only(request, username)
    form = forms.PasswordChangeForm(_posted(request), user=owner)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"password": "new_password"})
        else:
            # Keep this browser logged in; other sessions end with the old password.
            auth.update_session_auth_hash(request, owner)
            messages.success(request, "Your password has been changed.")
            return redirect(owner.get_absolute_url())
    return render(request, "accounts/password_change.html", {"form": form, "owner": owner})


# --- Deleting an account -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def user_delete(request, username):
    owner = _owner_only(request, username)
    if owner.username == settings.FANFOLD_ORPHAN_USERNAME:
        raise PermissionDenied("The orphan account cannot be deleted.")
    form = forms.UserDeleteForm(_posted(request), user=owner)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=owner, works=form.cleaned_data["works"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            auth.logout(request)
            messages.success(request, "You have successfully deleted your account.")
            return redirect("home")
    work_count = (
        Work.objects.filter(creatorships__pseud__user=owner, creatorships__approved=True)
        .distinct()
        .count()
    )
    return render(
        request,
        "accounts/user_delete.html",
        {"form": form, "owner": owner, "work_count": work_count},
    )


# --- User and pseud pages ----------------------------------------------------------------


def user_detail(request, username):
    owner = _user_or_404(username)
    works = selectors.work_list_for_user(owner=owner, viewer=request.user)
    context = {
        "owner": owner,
        "is_owner": owner.pk == request.user.pk,
        "pseuds": owner.pseuds.all(),
        "work_count": works.count(),
        "works": list(works[:RECENT_WORKS]),
        "invitations": (
            selectors.creatorship_invitations_for_user(user=owner)
            if owner.pk == request.user.pk
            else []
        ),
    }
    return render(request, "accounts/user_detail.html", context)


def pseud_index(request, username):
    owner = _user_or_404(username)
    pseuds = list(owner.pseuds.all())
    for pseud in pseuds:
        pseud.visible_work_count = selectors.work_list_for_pseud(
            pseud=pseud, viewer=request.user
        ).count()
    return render(
        request,
        "accounts/pseud_index.html",
        {"owner": owner, "pseuds": pseuds, "is_owner": owner.pk == request.user.pk},
    )


def pseud_detail(request, username, pseud_name):
    owner = _user_or_404(username)
    pseud = _pseud_or_404(owner, pseud_name)
    works = selectors.work_list_for_pseud(pseud=pseud, viewer=request.user)
    context = {
        "owner": owner,
        "pseud": pseud,
        "is_owner": owner.pk == request.user.pk,
        "work_count": works.count(),
        "works": list(works[:RECENT_WORKS]),
    }
    return render(request, "accounts/pseud_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pseud_new(request, username):
    owner = _owner_only(request, username)
    form = forms.PseudForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            pseud = services.pseud_create(user=owner, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Pseud was successfully created.")
            return redirect(pseud.get_absolute_url())
    return render(request, "accounts/pseud_form.html", {"form": form, "owner": owner})


@login_required
@require_http_methods(["GET", "POST"])
def pseud_edit(request, username, pseud_name):
    owner = _owner_only(request, username)
    pseud = _pseud_or_404(owner, pseud_name)
    form = forms.PseudForm(
        _posted(request), initial={"name": pseud.name, "description": pseud.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pseud_update(pseud=pseud, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            pseud.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, "Pseud was successfully updated.")
            return redirect(pseud.get_absolute_url())
    return render(
        request, "accounts/pseud_form.html", {"form": form, "owner": owner, "pseud": pseud}
    )


@login_required
@require_http_methods(["GET", "POST"])
def pseud_delete(request, username, pseud_name):
    owner = _owner_only(request, username)
    pseud = _pseud_or_404(owner, pseud_name)
    if request.method == "POST":
        if pseud.is_default:
            messages.error(request, "You cannot delete your default pseud.")
            return redirect(pseud.get_absolute_url())
        services.pseud_delete(pseud=pseud, user=request.user)
        messages.success(request, "The pseud was successfully deleted.")
        return redirect("pseud_index", owner.username)
    work_count = pseud.creatorships.filter(approved=True).count()
    return render(
        request,
        "accounts/pseud_delete.html",
        {"owner": owner, "pseud": pseud, "work_count": work_count},
    )


# --- Invitations ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@rate_limited("invitation_request")
def invitation_request(request):
    """/invite_requests: join the queue for an invitation, or look up one's place in it."""
    config = ArchiveConfig.load()
    form = forms.InvitationRequestForm(_posted(request))
    position = None
    looked_up = request.GET.get("email", "").strip()
    if request.method == "POST" and form.is_valid():
        try:
            queued = services.invitation_request_create(email=form.cleaned_data["email"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"You're in the queue. We'll e-mail {queued.email} an invitation."
            )
            return redirect(f"{reverse('invitation_request')}?email={queued.email}")
    if looked_up:
        position = services.invitation_request_position(email=looked_up)
    return render(
        request,
        "accounts/invitation_request.html",
        {"form": form, "config": config, "looked_up": looked_up, "position": position},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_invitations(request, username):
    """/users/NAME/invitations: the invitations the user gave out, and giving one more."""
    owner = _owner_only(request, username)
    form = forms.InvitationGiveForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_give(user=owner, email=form.cleaned_data["email"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Your invitation has been sent to {invitation.email}.")
            return redirect("user_invitations", owner.username)
    owner.refresh_from_db(fields=["invitations_left"])
    given = owner.invitations_given.select_related("used_by").order_by("-created_at")
    return render(
        request,
        "accounts/user_invitations.html",
        {"owner": owner, "form": form, "invitations": given},
    )
