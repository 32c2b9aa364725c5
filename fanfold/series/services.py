"""Every write to series. Only the series' creator changes it; a work joins a series only when
the same user is also one of the work's creators. Positions stay 1..N without gaps: every
change locks the series row first, so two concurrent additions cannot take the same place."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from fanfold.works.models import Work
from fanfold.works.text import plain_text_to_html, sanitize_html

from .models import Series, SeriesPart

MAX_TITLE = 255
MAX_SUMMARY = 1250
MAX_NOTES = 5000


def user_html(value: str) -> str:
    """What a user typed into a summary or notes box, as safe HTML: markup is sanitized to the
    archive's allow-list, text without markup gets paragraphs (as work summaries do)."""
    value = (value or "").strip()
    if not value:
        return ""
    html = sanitize_html(value) if "<" in value else plain_text_to_html(value)
    return html if html.strip() else ""


def _require_owner(series: Series, user) -> None:
    if user is None or not user.is_authenticated or series.owner_id != user.pk:
        raise PermissionDenied("Only the series' creator may change it.")


def _clean(title: str, summary: str, notes: str) -> dict:
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Please give the series a title."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"The title must be at most {MAX_TITLE} characters long."]
    for field, label, limit, value in (
        ("summary", "The summary", MAX_SUMMARY, summary),
        ("notes", "The notes", MAX_NOTES, notes),
    ):
        length = len((value or "").strip())
        if length > limit:
            errors[field] = [
                f"{label} must be at most {limit:,} characters long (it has {length:,})."
            ]
    if errors:
        raise ValidationError(errors)
    return {"title": title, "summary": user_html(summary), "notes": user_html(notes)}


@transaction.atomic
def series_create(
    *, user, title: str, summary: str = "", notes: str = "", is_complete: bool = False
) -> Series:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to make a series.")
    return Series.objects.create(
        owner=user, is_complete=is_complete, **_clean(title, summary, notes)
    )


@transaction.atomic
def series_update(
    *, series: Series, user, title: str, summary: str = "", notes: str = "", is_complete=False
) -> Series:
    _require_owner(series, user)
    for field, value in _clean(title, summary, notes).items():
        setattr(series, field, value)
    series.is_complete = is_complete
    series.save()
    return series


@transaction.atomic
def series_delete(*, series: Series, user) -> None:
    """Delete the series; its works stay as they are."""
    _require_owner(series, user)
    series.delete()


def _lock(series: Series) -> Series:
    return Series.objects.select_for_update().get(pk=series.pk)


def _user_is_work_creator(work: Work, user) -> bool:
    return work.creatorships.filter(pseud__user=user, approved=True).exists()


@transaction.atomic
def series_add_work(*, series: Series, work: Work, user) -> SeriesPart:
    """Add the work as the series' last part. Subscribers of the series hear of it when the
    work is (or once it becomes) posted."""
    from fanfold.subscriptions.services import subscriptions_series_work_added

    _require_owner(series, user)
    if not _user_is_work_creator(work, user):
        raise PermissionDenied("Only a work's creators may add it to a series.")
    series = _lock(series)
    if series.parts.filter(work=work).exists():
        raise ValidationError({"series": f"This work is already part of {series.title}."})
    last = series.parts.aggregate(last=Max("position"))["last"] or 0
    part = SeriesPart.objects.create(series=series, work=work, position=last + 1)
    series.save(update_fields=["updated_at"])
    subscriptions_series_work_added(series=series, work=work)
    return part


@transaction.atomic
def series_create_with_work(*, user, title: str, work: Work) -> Series:
    """Start a new series with this work as its first part (the work page's "Add to series")."""
    try:
        series = series_create(user=user, title=title)
    except ValidationError as exc:
        raise ValidationError({"new_title": exc.message_dict.get("title", exc.messages)}) from exc
    series_add_work(series=series, work=work, user=user)
    return series


def _renumber(series: Series) -> None:
    for number, part in enumerate(series.parts.order_by("position", "pk"), start=1):
        if part.position != number:
            part.position = number
            part.save(update_fields=["position"])


@transaction.atomic
def series_remove_work(*, series: Series, work: Work, user) -> None:
    """Take the work out of the series: the series' creator or the work's creators may."""
    if not user.is_authenticated or not (
        series.owner_id == user.pk or _user_is_work_creator(work, user)
    ):
        raise PermissionDenied("Only the series' creator or the work's creators may do that.")
    series = _lock(series)
    deleted, _ = series.parts.filter(work=work).delete()
    if not deleted:
        raise ValidationError({"series": "This work is not part of the series."})
    _renumber(series)
    series.save(update_fields=["updated_at"])


@transaction.atomic
def series_reorder(*, series: Series, user, work_ids: list[int]) -> None:
    """Put the series' works in this order (every work of the series, each once)."""
    _require_owner(series, user)
    series = _lock(series)
    parts = {part.work_id: part for part in series.parts.all()}
    if sorted(work_ids) != sorted(parts) or len(set(work_ids)) != len(work_ids):
        raise ValidationError({"order": "Please give every work of the series exactly one place."})
    for number, work_id in enumerate(work_ids, start=1):
        part = parts[work_id]
        if part.position != number:
            part.position = number
            part.save(update_fields=["position"])
    series.save(update_fields=["updated_at"])
