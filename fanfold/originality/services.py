"""Every write of the originality app: checking a work (index, reposts, sources), the
moderators' decisions on reports, the reference library, and writers crediting a source."""

import html
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fanfold.core.permissions import require_admin, require_moderator
from fanfold.works.models import Work
from fanfold.works.selectors import work_user_is_creator, works_for_blurbs
from fanfold.works.services import work_hide, work_update

from . import selectors
from .engine.check import check_tokens
from .engine.fingerprint import fingerprint
from .engine.index import RepostIndex
from .engine.repost import RepostFinding
from .engine.sources import Library
from .engine.text import Tokens, tokenize
from .models import ReferenceSource, RepostReport, SourceMatch

MAX_SOURCE_CHARACTERS = 20_000_000  # a long book is about 3 MB


_open_index: dict[Path, RepostIndex] = {}


def repost_index() -> RepostIndex:
    """The process's repost index, kept open between checks: its segments stay memory-mapped
    and it catches up with other processes' writes on every read (RepostIndex.refresh)."""
    directory = Path(settings.FANFOLD_ORIGINALITY_INDEX_DIR)
    if directory not in _open_index:
        _open_index.clear()  # the setting changed (each test has its own index)
        _open_index[directory] = RepostIndex(directory)
    return _open_index[directory]


def _tokens_of(work_id: int) -> Tokens | None:
    if not Work.objects.filter(pk=work_id, is_posted=True).exists():
        return None
    return tokenize(selectors.work_plain_text(work_id))


_library_cache: dict[tuple, Library] = {}


def reference_library() -> Library:
    """The reference library as the engine's Library, rebuilt when sources are added or
    removed (sources are never edited in place, so their ids say what is in it)."""
    key = tuple(ReferenceSource.objects.order_by("pk").values_list("pk", flat=True))
    if key not in _library_cache:
        _library_cache.clear()
        _library_cache[key] = Library.build(
            [(str(s.pk), s.title, s.text) for s in ReferenceSource.objects.order_by("pk")]
        )
    return _library_cache[key]


def _older_first(a: Work, b: Work) -> tuple[Work, Work]:
    # The date a work arrived in this archive, not its published_on: writers may backdate that,
    # and a reposter must not become "older" by doing so.
    return (a, b) if (a.created_at, a.pk) <= (b.created_at, b.pk) else (b, a)


def _save_finding(work: Work, finding: RepostFinding) -> RepostReport:
    alignment = finding.alignment
    return repost_pair_record(
        work=work,
        other=Work.objects.get(pk=finding.other_id),
        kind=finding.kind,
        exact=finding.exact,
        matched_words=alignment.matched,
        share_of_work=alignment.share_a,
        share_of_other=alignment.share_b,
        name_map=alignment.name_map,
    )


@transaction.atomic
def repost_pair_record(
    *,
    work: Work,
    other: Work,
    kind: str,
    exact: bool,
    matched_words: int,
    share_of_work: float,
    share_of_other: float,
    name_map: list[tuple[str, str, int]],
) -> RepostReport:
    """Record (or update) the report that two works align: the older one is the original.
    name_map reads work's names against other's: (work's name, other's name, times)."""
    older, newer = _older_first(work, other)
    if older.pk == work.pk:
        share_older, share_newer = share_of_work, share_of_other
        names = [[mine, theirs, n] for mine, theirs, n in name_map]
    else:
        share_older, share_newer = share_of_other, share_of_work
        names = [[theirs, mine, n] for mine, theirs, n in name_map]
    values = {
        "kind": kind,
        "exact": exact,
        "matched_words": matched_words,
        "share_of_older": share_older,
        "share_of_newer": share_newer,
        "name_map": names,
    }
    report, created = RepostReport.objects.get_or_create(
        older_work=older, newer_work=newer, defaults=values
    )
    if not created:
        for field, value in values.items():
            setattr(report, field, value)
        report.save()
    return report


def work_originality_check(*, work_id: int) -> list[RepostReport]:
    """Index a work and record what it copies or is copied by, and which reference sources it
    quotes. A work that is gone, or not posted, leaves the index. Called by the background task
    after every change to a posted work. The slow part (aligning candidates, finding sources)
    runs outside any transaction; the records are written in one."""
    index = repost_index()
    work = Work.objects.filter(pk=work_id, is_posted=True).first()
    if work is None:
        index.remove([work_id])
        SourceMatch.objects.filter(work_id=work_id).delete()
        return []
    text = selectors.work_plain_text(work.pk)
    tokens = tokenize(text)
    fp = fingerprint(tokens.words)
    findings = check_tokens(tokens, index, _tokens_of, exclude=work.pk, fp=fp)
    library = reference_library()
    matches = library.find(text) if library.sources else []
    with transaction.atomic():
        reports = [_save_finding(work, finding) for finding in findings]
        # Pairs with this work that no longer hold (the text was changed) leave the open
        # queue; decided reports stay as the record of what a moderator did.
        stale = RepostReport.objects.filter(status=RepostReport.Status.OPEN).exclude(
            pk__in=[r.pk for r in reports]
        )
        stale.filter(older_work=work).delete()
        stale.filter(newer_work=work).delete()
        _record_sources(work, matches)
    index.add([(work.pk, fp)])
    return reports


def _record_sources(work: Work, matches: list) -> None:
    credited = set(
        SourceMatch.objects.filter(work=work, credited=True).values_list("source_id", "work_text")
    )
    SourceMatch.objects.filter(work=work).delete()
    SourceMatch.objects.bulk_create(
        SourceMatch(
            work=work,
            source_id=int(match.source_id),
            score=match.score,
            matched_words=match.matched_words,
            work_text=match.work_text,
            source_text=match.source_text,
            aligned=[s.__dict__ for s in match.segments],
            credited=(int(match.source_id), match.work_text) in credited,
        )
        for match in matches
    )


# --- Moderators' decisions -------------------------------------------------------------------

MODERATORS_ONLY = "Only moderators may decide on originality reports."


@transaction.atomic
def repost_report_dismiss(*, report: RepostReport, moderator) -> RepostReport:
    """Not a repost (a writer's own cross-post, a permitted translation, ...): off the queue."""
    require_moderator(moderator, MODERATORS_ONLY)
    report = RepostReport.objects.select_for_update().get(pk=report.pk)
    report.status = RepostReport.Status.DISMISSED
    report.decided_by = moderator
    report.decided_at = timezone.now()
    report.save()
    return report


@transaction.atomic
def repost_report_hide(*, report: RepostReport, moderator, reason: str) -> RepostReport:
    """Hide the newer work pending review (its creators see the reason)."""
    require_moderator(moderator, MODERATORS_ONLY)
    report = RepostReport.objects.select_for_update().get(pk=report.pk)
    work_hide(work=report.newer_work, moderator=moderator, reason=reason)
    report.status = RepostReport.Status.HIDDEN
    report.decided_by = moderator
    report.decided_at = timezone.now()
    report.save()
    return report


# --- The reference library -------------------------------------------------------------------

ADMINS_ONLY = "Only the archive's admins may change the reference library."


@transaction.atomic
def reference_source_add(*, title: str, text: str, user) -> ReferenceSource:
    """Add a plain text to the reference library."""
    require_admin(user, ADMINS_ONLY)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Please give the source a title."
    elif len(title) > 255:
        errors["title"] = "The title can be at most 255 characters long."
    if "\x00" in (text or ""):
        errors["text"] = "This looks like a binary file, not a text."
    elif not (text or "").strip():
        errors["text"] = "The source has no text."
    elif len(text) > MAX_SOURCE_CHARACTERS:
        errors["text"] = f"A source can be at most {MAX_SOURCE_CHARACTERS:,} characters long."
    if errors:
        raise ValidationError(errors)
    return ReferenceSource.objects.create(
        title=title, text=text, word_count=len(text.split()), added_by=user
    )


@transaction.atomic
def reference_source_delete(*, source: ReferenceSource, user) -> None:
    require_admin(user, ADMINS_ONLY)
    source.delete()


# --- Writers crediting their sources ---------------------------------------------------------


@transaction.atomic
def source_match_credit(*, match: SourceMatch, user) -> SourceMatch:
    """Add a credit line for the matched source to the work's notes (through work_update, so
    it is sanitized and the work's change is announced like any edit)."""
    work = works_for_blurbs(Work.objects.filter(pk=match.work_id)).get()
    if not work_user_is_creator(work=work, user=user):
        raise PermissionDenied("Only the work's creators may credit its sources.")
    match = SourceMatch.objects.select_for_update().select_related("source").get(pk=match.pk)
    if match.credited:
        return match
    words = match.work_text.split()
    quoted = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
    credit = (
        f"<p>The passage “{html.escape(quoted)}” quotes or adapts "
        f"<cite>{html.escape(match.source.title)}</cite>.</p>"
    )
    work_update(work=work, user=user, notes=(work.notes + "\n" + credit).strip())
    match.credited = True
    match.save(update_fields=["credited"])
    return match
