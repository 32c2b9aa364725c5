"""Django's admin for archive admins: archive settings, accounts with their roles, pseuds and
invitations. New accounts, pseud changes and invitations go through the accounts services, so
the admin keeps the same rules as the site (every account gets its default pseud)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html

from fanfold.accounts import services as account_services
from fanfold.accounts.models import Invitation, InvitationRequest, Pseud, User

from .models import ArchiveConfig


@admin.register(ArchiveConfig)
class ArchiveConfigAdmin(admin.ModelAdmin):
    fieldsets = (
        ("Sign-up", {"fields": ("invitation_only", "invitations_per_day", "minimum_age")}),
        ("Terms of Service", {"fields": ("terms_of_service",)}),
        ("Notice", {"fields": ("site_notice",)}),
    )

    def has_add_permission(self, request):
        return not ArchiveConfig.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


def _copy_saved(target, saved) -> None:
    """The admin keeps working with the object it built from the form; after a service saved
    the real row, make that object the saved one (pk, hashed password, defaults)."""
    target.__dict__.update(saved.__dict__)


class UserCreationAdminForm(AdminUserCreationForm):
    """Username and e-mail as on the sign-up page; the checks are the services' own."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_username(self):
        # Django's clean_username checks case-insensitive uniqueness; the service's reserved
        # names are added here so the admin sees the message on the field, not a crash.
        username = super().clean_username()
        if username and username.lower() in account_services._reserved_usernames():
            raise ValidationError("That username is reserved. Please choose another.")
        return username

    def clean_email(self):
        email = self.cleaned_data.get("email", "").strip()
        if email and User.objects.filter(email__iexact=email).exists():
            raise ValidationError("That email address is already used by another account.")
        return email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationAdminForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        (
            "Roles",
            {
                "fields": ("is_superuser", "is_moderator", "is_tag_wrangler"),
                "description": "Admins (superusers) may do everything; moderators act on abuse "
                "reports; tag wranglers wrangle tags. Staff status below lets a person log in "
                "to this admin site.",
            },
        ),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "groups", "user_permissions")},
        ),
        ("Invitations", {"fields": ("invitations_left",)}),
        ("Important dates", {"fields": ("last_login", "date_joined", "terms_accepted_at")}),
    )
    # Acceptance is the user's own act on signing up: nobody may set it for them here.
    readonly_fields = ("terms_accepted_at",)
    list_display = (
        "username",
        "email",
        "is_superuser",
        "is_moderator",
        "is_tag_wrangler",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_superuser", "is_moderator", "is_tag_wrangler", "is_staff", "is_active")
    search_fields = ("username", "email")
    ordering = ("username",)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        usable = form.cleaned_data.get("usable_password", "true") != "false"
        password = form.cleaned_data.get("password1") if usable else None
        user = account_services.user_create(
            username=obj.username,
            email=obj.email,
            password=password or None,
            check_invitation=False,
            # An admin makes the account; its owner has not seen the Terms of Service yet.
            check_terms=False,
            # The form has validated the password already (and lets an admin skip that).
            validate_new_password=False,
        )
        _copy_saved(obj, user)

    def delete_model(self, request, obj):
        # Deleting an account in the admin orphans its works, so readers keep them.
        account_services.user_delete(user=obj, works="orphan")

    def delete_queryset(self, request, queryset):
        for user in queryset:
            account_services.user_delete(user=user, works="orphan")


class PseudAdminForm(forms.ModelForm):
    class Meta:
        model = Pseud
        fields = ("name", "description")


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    form = PseudAdminForm
    list_display = ("name", "user", "is_default", "created_at")
    list_filter = ("is_default",)
    search_fields = ("name", "user__username")
    list_select_related = ("user",)
    readonly_fields = ("user", "is_default", "created_at")
    fields = ("user", "name", "description", "is_default", "created_at")

    def has_add_permission(self, request):
        # Pseuds are added by their owners (or come with a new account).
        return False

    # A default pseud goes only with its account (deleting the account deletes it, so the
    # permission itself stays); its own delete page is refused.
    def delete_view(self, request, object_id, extra_context=None):
        pseud = self.get_object(request, object_id)
        if pseud is not None and pseud.is_default:
            raise PermissionDenied("A default pseud cannot be deleted.")
        return super().delete_view(request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pseud = self.get_object(request, object_id)
        if pseud is not None and pseud.is_default:
            extra_context = {**(extra_context or {}), "show_delete": False}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        original = Pseud.objects.get(pk=obj.pk)
        account_services.pseud_update(
            pseud=original,
            user=original.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        )
        _copy_saved(obj, original)

    def delete_model(self, request, obj):
        account_services.pseud_delete(pseud=obj, user=obj.user)

    def delete_queryset(self, request, queryset):
        skipped = 0
        for pseud in queryset.select_related("user"):
            if pseud.is_default:
                skipped += 1
                continue
            account_services.pseud_delete(pseud=pseud, user=pseud.user)
        if skipped:
            messages.warning(
                request, f"{skipped} default pseud(s) were kept: they can't be deleted."
            )


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("email",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationAdminForm
    list_display = ("code", "email", "created_by", "created_at", "used_by", "used_at")
    list_filter = (("used_at", admin.EmptyFieldListFilter),)
    search_fields = ("code", "email", "used_by__username")
    list_select_related = ("created_by", "used_by")
    readonly_fields = ("code", "signup_link", "created_by", "created_at", "used_by", "used_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            # The code is generated when the invitation is saved.
            return ("email",)
        return ("code", "signup_link", "email", "created_by", "created_at", "used_by", "used_at")

    @admin.display(description="Sign-up link")
    def signup_link(self, obj):
        if obj is None or obj.is_used:
            return "—"
        url = f"{reverse('signup')}?invitation={obj.code}"
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        invitation = account_services.invitation_create(created_by=request.user, email=obj.email)
        _copy_saved(obj, invitation)


@admin.register(InvitationRequest)
class InvitationRequestAdmin(admin.ModelAdmin):
    """The invitation queue, to look up a request; invitations are sent from the queue by
    `fanfold periodic` (a set number a day, see Archive settings)."""

    list_display = ("email", "created_at", "sent_at")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    search_fields = ("email",)
    readonly_fields = ("email", "created_at", "invitation", "sent_at")

    def has_add_permission(self, request):
        return False
