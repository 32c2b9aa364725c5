from django import forms

from fanfold.core.fastwidgets import (
    FastEmailInput,
    FastHiddenInput,
    FastTextarea,
    FastTextInput,
)

from .services import MAX_CONTENT, MAX_GUEST_NAME


class CommentForm(forms.Form):
    """A new comment or reply. The service checks the content, names and permissions, so the
    fields are not required here: one place says what is wrong and how."""

    content = forms.CharField(
        label="Comment",
        required=False,
        widget=FastTextarea(attrs={"rows": 6, "maxlength": MAX_CONTENT}),
        help_text="Plain text or HTML (the tags works may use). "
        f"At most {MAX_CONTENT:,} characters.",
        strip=False,
    )
    guest_name = forms.CharField(
        label="Name", required=False, max_length=MAX_GUEST_NAME, widget=FastTextInput()
    )
    guest_email = forms.CharField(
        label="E-mail",
        required=False,
        widget=FastEmailInput(),
        help_text="Never shown to anyone.",
    )
    parent_id = forms.IntegerField(required=False, widget=FastHiddenInput())
    chapter_id = forms.IntegerField(required=False, widget=FastHiddenInput())
    next = forms.CharField(required=False, widget=FastHiddenInput())
    # A honeypot for guests: hidden from people by the stylesheet (.honeypot) and from screen
    # readers (aria-hidden), filled in by bots that fill every box (views drop those comments).
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=FastTextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class CommentEditForm(forms.Form):
    content = CommentForm.base_fields["content"]


class CommentSettingsForm(forms.Form):
    moderated = forms.BooleanField(
        label="Moderate comments: new comments wait for my approval before others see them",
        required=False,
    )
