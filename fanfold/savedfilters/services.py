"""Writes: saved filters (a named listing URL) and the permanent exclusion list."""

from urllib.parse import parse_qsl, urlencode

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve

from fanfold.search.pagination import listings_changed
from fanfold.tags.models import Tag

from .models import Exclusion, SavedFilter

MAX_SAVED_FILTERS = 100
MAX_EXCLUSIONS = 1000
MAX_QUERY_LENGTH = 20_000
# The listings a filter can be saved from.
LISTING_URL_NAMES = {"work_index", "tag_works", "user_works", "pseud_works", "search"}


@transaction.atomic
def saved_filter_create(*, user, name: str, path: str, query: str) -> SavedFilter:
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = "Give the filter a name."
    elif len(name) > 100:
        errors["name"] = "Names can be at most 100 characters long."
    elif SavedFilter.objects.filter(user=user, name__iexact=name).exists():
        errors["name"] = f"You already have a saved filter named “{name}”."
    try:
        match = resolve(path or "")
    except Resolver404:
        match = None
    if match is None or match.url_name not in LISTING_URL_NAMES:
        errors["path"] = "Filters can only be saved from a list of works."
    if len(query or "") > MAX_QUERY_LENGTH:
        errors["query"] = "These filters are too long to save."
    if SavedFilter.objects.filter(user=user).count() >= MAX_SAVED_FILTERS:
        errors["name"] = f"You can keep at most {MAX_SAVED_FILTERS} saved filters."
    if errors:
        raise ValidationError(errors)
    # The page number is where the reader was, not part of the filter.
    pairs = [(key, value) for key, value in parse_qsl(query or "") if key != "page" and value]
    return SavedFilter.objects.create(user=user, name=name, path=path, query=urlencode(pairs))


@transaction.atomic
def saved_filter_delete(*, user, saved_filter_id: int) -> None:
    deleted, _ = SavedFilter.objects.filter(user=user, pk=saved_filter_id).delete()
    if not deleted:
        raise ValidationError("That saved filter does not exist.")


@transaction.atomic
def exclusion_create(*, user, tag_name: str = "", creator_name: str = "") -> Exclusion:
    """Exclude a tag (by name; a synonym excludes its canonical tag and so both) or a creator
    (by user name) from every listing this user sees."""
    tag_name, creator_name = " ".join((tag_name or "").split()), (creator_name or "").strip()
    if bool(tag_name) == bool(creator_name):
        raise ValidationError({"tag_name": "Enter a tag name or a creator's user name."})
    listings_changed()  # the excluded works leave this user's listings and counts
    if Exclusion.objects.filter(user=user).count() >= MAX_EXCLUSIONS:
        raise ValidationError({"tag_name": f"You can exclude at most {MAX_EXCLUSIONS} things."})
    if tag_name:
        tag = Tag.objects.filter(name__iexact=tag_name).select_related("merger").first()
        if tag is None:
            raise ValidationError({"tag_name": f"No tag is named “{tag_name}”."})
        tag = tag.merger or tag
        if Exclusion.objects.filter(user=user, tag=tag).exists():
            raise ValidationError({"tag_name": f"You already exclude “{tag.name}”."})
        return Exclusion.objects.create(user=user, tag=tag)
    creator = get_user_model().objects.filter(username__iexact=creator_name).first()
    if creator is None:
        raise ValidationError({"creator_name": f"No user is named “{creator_name}”."})
    if creator.pk == user.pk:
        raise ValidationError({"creator_name": "You can't exclude your own works."})
    if Exclusion.objects.filter(user=user, creator=creator).exists():
        raise ValidationError({"creator_name": f"You already exclude {creator.username}."})
    return Exclusion.objects.create(user=user, creator=creator)


@transaction.atomic
def exclusion_delete(*, user, exclusion_id: int) -> None:
    listings_changed()
    deleted, _ = Exclusion.objects.filter(user=user, pk=exclusion_id).delete()
    if not deleted:
        raise ValidationError("That exclusion does not exist.")
