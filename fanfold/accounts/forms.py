"""Forms parse what people type; the rules live in services.py, whose ValidationErrors are
shown on these forms by fanfold.core.forms.add_service_errors."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .models import User
from .validators import (
    PSEUD_DESCRIPTION_MAX_LENGTH,
    PSEUD_NAME_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
)


def _check_confirmation(form: forms.Form, field: str, confirmation_field: str) -> None:
    """A new password typed twice must match; the message goes under the second box."""
    password = form.cleaned_data.get(field)
    confirmation = form.cleaned_data.get(confirmation_field)
    if password and confirmation and password != confirmation:
        form.add_error(confirmation_field, "The passwords you entered don't match.")


def _password_input(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete})


class SignupForm(forms.Form):
    username = forms.CharField(
        label="Username",
        help_text="3 to 40 characters: letters, numbers and underscores, starting with a letter "
        "or number.",
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "maxlength": USERNAME_MAX_LENGTH, "autofocus": True}
        ),
    )
    email = forms.CharField(
        label="Email",
        help_text="For resetting your password; never shown to others.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=_password_input("new-password"),
        help_text="At least 8 characters; not only numbers, not a common password, not too "
        "close to your username or email.",
    )
    password_confirmation = forms.CharField(
        label="Confirm password", strip=False, widget=_password_input("new-password")
    )
    # AO3's two checkboxes. Not required here: user_create refuses a sign-up without them, with
    # its messages, together with the other problems it finds (username taken...).
    accepted_terms = forms.BooleanField(required=False)
    confirmed_age = forms.BooleanField(required=False)

    def __init__(self, *args, invitation_only: bool = False, minimum_age: int = 13, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_terms"].label = format_html(
            'I have read &amp; understood the <a href="{}" target="_blank">Terms of Service</a>',
            reverse("terms_of_service"),
        )
        self.fields["confirmed_age"].label = f"I am at least {minimum_age} years of age"
        if invitation_only:
            self.fields["invitation_code"] = forms.CharField(
                label="Invitation code",
                help_text="Sign-up is by invitation only at the moment.",
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
            # The code comes first, as the one thing a guest without it cannot supply.
            self.order_fields(["invitation_code"])

    def clean(self):
        cleaned = super().clean()
        _check_confirmation(self, "password", "password_confirmation")
        return cleaned

    def save(self) -> User:
        return services.user_create(
            username=self.cleaned_data["username"],
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password"],
            accepted_terms=self.cleaned_data["accepted_terms"],
            confirmed_age=self.cleaned_data["confirmed_age"],
            invitation_code=self.cleaned_data.get("invitation_code"),
        )


class LoginForm(AuthenticationForm):
    """Log in with the username or the e-mail address (either in any letter case)."""

    remember_me = forms.BooleanField(label="Remember me", required=False)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The username or password you entered doesn't match our records. "
        "Please try again or reset your password.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = "Username or email"
        username.max_length = 254
        username.widget.attrs["maxlength"] = 254

    def clean(self):
        identifier = (self.cleaned_data.get("username") or "").strip()
        if identifier:
            matches = list(User.objects.filter(username__iexact=identifier)[:1])
            if not matches and "@" in identifier:
                matches = list(User.objects.filter(email__iexact=identifier)[:2])
            if len(matches) == 1:
                self.cleaned_data["username"] = matches[0].username
        return super().clean()


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="Current password", strip=False, widget=_password_input("current-password")
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        widget=_password_input("new-password"),
        help_text=SignupForm.base_fields["password"].help_text,
    )
    new_password_confirmation = forms.CharField(
        label="Confirm new password", strip=False, widget=_password_input("new-password")
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        _check_confirmation(self, "new_password", "new_password_confirmation")
        return cleaned

    def save(self) -> User:
        return services.user_password_change(
            user=self.user,
            old_password=self.cleaned_data["old_password"],
            new_password=self.cleaned_data["new_password"],
        )


class ResetPasswordRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="The email address of your account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class ResetPasswordForm(SetPasswordForm):
    """The new password after following the link in the reset e-mail; saved by the service."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = SignupForm.base_fields["password"].help_text
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The passwords you entered don't match.",
        }

    def save(self, commit=True):
        return services.user_password_set(
            user=self.user, password=self.cleaned_data["new_password1"]
        )


class UserDeleteForm(forms.Form):
    works = forms.ChoiceField(
        label="What should happen to your works?",
        choices=[
            (
                "orphan",
                "Orphan my works: they stay on the archive, credited to orphan_account instead "
                "of me.",
            ),
            (
                "delete",
                "Delete my works: they are removed from the archive (works I created with "
                "others stay with them).",
            ),
        ],
        initial="orphan",
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=_password_input("current-password"),
        help_text="To confirm that you want to delete your account.",
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That password is not correct. Your account was not deleted.")
        return password


class PseudForm(forms.Form):
    name = forms.CharField(
        label="Name",
        strip=False,
        help_text="Up to 40 characters: letters, numbers, spaces, underscores and hyphens.",
        widget=forms.TextInput(attrs={"maxlength": PSEUD_NAME_MAX_LENGTH}),
    )
    description = forms.CharField(
        label="Description",
        required=False,
        strip=False,
        help_text=f"Plain text, up to {PSEUD_DESCRIPTION_MAX_LENGTH} characters.",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": PSEUD_DESCRIPTION_MAX_LENGTH}),
    )


class InvitationRequestForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)


class InvitationGiveForm(forms.Form):
    email = forms.EmailField(label="Your friend's email address", max_length=254)
