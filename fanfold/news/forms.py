from django import forms

from fanfold.works.models import CommentPermission

from .services import MAX_BANNER_TEXT, MAX_BODY, MAX_CATEGORY, MAX_LINK, MAX_LINK_TEXT, MAX_TITLE


class NewsPostForm(forms.Form):
    """A news post. The service checks and cleans every field, so fields are not required
    here: one place says what is wrong and how."""

    title = forms.CharField(label="Title", required=False, max_length=MAX_TITLE)
    category = forms.CharField(
        label="Category",
        required=False,
        max_length=MAX_CATEGORY,
        help_text="Optional, e.g. “Archive news” or “Maintenance”; readers can list one "
        "category's posts.",
    )
    body = forms.CharField(
        label="Post",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "maxlength": MAX_BODY}),
        help_text="Plain text or HTML (the tags works may use).",
    )
    comment_permission = forms.ChoiceField(
        label="Who can comment",
        choices=CommentPermission.choices,
        initial=CommentPermission.EVERYONE,
        widget=forms.RadioSelect,
    )
    comments_moderated = forms.BooleanField(
        label="Moderate comments: new comments wait for an admin's or moderator's approval",
        required=False,
    )


class BannerForm(forms.Form):
    text = forms.CharField(
        label="Banner text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_BANNER_TEXT}),
        help_text="One or two sentences. Allowed markup: <strong>, <em>, <b>, <i>, <code>, "
        "<br> and links.",
    )
    link_url = forms.CharField(
        label="Link (optional)",
        required=False,
        max_length=MAX_LINK,
        help_text="A web address (https://...) or a page of this archive (/admin_posts/1).",
    )
    link_text = forms.CharField(
        label="Link text",
        required=False,
        max_length=MAX_LINK_TEXT,
        help_text="Default: “Read more”.",
    )
    active_from = forms.DateTimeField(
        label="Show from",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty: now.",
    )
    active_until = forms.DateTimeField(
        label="Show until",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Empty: until the banner is deleted.",
    )


class BannerEditForm(BannerForm):
    show_again = forms.BooleanField(
        label="Show it again to everyone who dismissed it (for a change that matters)",
        required=False,
    )
