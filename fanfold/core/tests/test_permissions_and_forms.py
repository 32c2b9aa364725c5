"""The shared role checks (fanfold.core.permissions) and the one way a service's
ValidationError is shown on a form (fanfold.core.forms), as the apps' views use them."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from fanfold.core.forms import add_service_errors
from fanfold.core.permissions import (
    admin_required,
    is_admin_or_moderator,
    is_wrangler,
    moderator_required,
    require_admin,
    require_moderator,
    require_wrangler,
    wrangler_required,
)

pytestmark = pytest.mark.django_db


def _ok(request):
    return HttpResponse("the page")


def _as(user):
    request = RequestFactory().get("/somewhere")
    request.user = user
    return request


def test_moderator_views_send_guests_to_log_in_and_refuse_others_with_the_views_words(
    alice, moderator, admin_user
):
    plain = moderator_required(_ok)
    worded = moderator_required(message="Only moderators may see this list.")(_ok)
    for view in (plain, worded):
        guest = view(_as(AnonymousUser()))
        assert guest.status_code == 302 and "/login" in guest["Location"]
        assert view(_as(moderator)).status_code == 200
        assert view(_as(admin_user)).status_code == 200
    with pytest.raises(
        PermissionDenied, match=r"Only the archive's moderators may open this page\."
    ):
        plain(_as(alice))
    with pytest.raises(PermissionDenied, match=r"Only moderators may see this list\."):
        worded(_as(alice))


def test_admin_views_are_for_admins_only(alice, moderator, admin_user):
    view = admin_required(_ok)
    assert view(_as(admin_user)).status_code == 200
    assert "/login" in view(_as(AnonymousUser()))["Location"]
    for user in (alice, moderator):
        with pytest.raises(PermissionDenied, match=r"Only the archive's admins may do that\."):
            view(_as(user))


def test_service_checks_refuse_guests_users_and_nobody(alice, moderator, admin_user):
    for user in (None, AnonymousUser(), alice):
        with pytest.raises(PermissionDenied, match=r"Only moderators may hide works\."):
            require_moderator(user, "Only moderators may hide works.")
        with pytest.raises(PermissionDenied):
            require_admin(user)
        assert not is_admin_or_moderator(user)
    require_moderator(moderator)
    require_moderator(admin_user)
    require_admin(admin_user)
    with pytest.raises(PermissionDenied):
        require_admin(moderator)
    assert is_admin_or_moderator(moderator) and is_admin_or_moderator(admin_user)


def test_wrangler_views_and_services_are_for_wranglers_and_admins(
    alice, moderator, wrangler, admin_user
):
    view = wrangler_required(_ok)
    guest = view(_as(AnonymousUser()))
    assert guest.status_code == 302 and "/login" in guest["Location"]
    for user in (wrangler, admin_user):
        assert view(_as(user)).status_code == 200
        require_wrangler(user)
        assert is_wrangler(user)
    for user in (alice, moderator):
        with pytest.raises(PermissionDenied, match=r"Only tag wranglers may wrangle tags\."):
            view(_as(user))
    for user in (None, AnonymousUser(), alice, moderator):
        with pytest.raises(PermissionDenied, match=r"Only tag wranglers may wrangle tags\."):
            require_wrangler(user)
        assert not is_wrangler(user)
    with pytest.raises(PermissionDenied, match=r"Only wranglers may see this\."):
        wrangler_required(message="Only wranglers may see this.")(_ok)(_as(alice))


class _TitleForm(forms.Form):
    title = forms.CharField(required=False)
    new_password = forms.CharField(required=False)


def test_service_errors_go_under_their_field_or_on_top():
    form = _TitleForm({})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError(
            {
                "title": "Please give a title.",
                "chapter": "That chapter is gone.",  # not on this form: on top
                NON_FIELD_ERRORS: "Something else.",
                "password": "Too short.",
            }
        ),
        rename={"password": "new_password"},
    )
    assert form.errors["title"] == ["Please give a title."]
    assert form.errors["new_password"] == ["Too short."]
    assert form.non_field_errors() == ["That chapter is gone.", "Something else."]


def test_a_service_error_without_a_field_goes_on_top():
    form = _TitleForm({})
    form.is_valid()
    add_service_errors(form, ValidationError("That is not allowed today."))
    assert form.non_field_errors() == ["That is not allowed today."]
    assert "title" not in form.errors
