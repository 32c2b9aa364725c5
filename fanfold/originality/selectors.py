"""Reads for originality: the texts the engine checks, the moderators' queue, a writer's
sources."""

from django.db.models import QuerySet

from fanfold.works.models import Chapter, Work

from .engine.text import html_to_text
from .models import RepostReport, SourceMatch


def work_plain_text(work_id: int) -> str:
    """The text of a posted work's posted chapters, in order, as plain text ("" for none)."""
    contents = Chapter.objects.filter(work_id=work_id, is_posted=True).order_by("position")
    return "\n\n".join(html_to_text(c) for c in contents.values_list("content", flat=True))


def works_to_check() -> QuerySet:
    """Works the originality checks index: posted ones (drafts are nobody's business yet;
    hidden ones stay, since a hidden original still has copies to find)."""
    return Work.objects.filter(is_posted=True)


def _reports() -> QuerySet:
    return RepostReport.objects.select_related(
        "older_work", "newer_work", "decided_by"
    ).prefetch_related(
        "older_work__creatorships__pseud__user", "newer_work__creatorships__pseud__user"
    )


def repost_queue(*, status: str = RepostReport.Status.OPEN) -> QuerySet:
    """Reports in the moderators' queue, newest finding first, with both works' creators."""
    return _reports().filter(status=status).order_by("-found_at", "-pk")


def repost_report_get(*, report_id: int) -> RepostReport | None:
    return _reports().filter(pk=report_id).first()


def source_matches_for_work(*, work: Work) -> list[SourceMatch]:
    return list(SourceMatch.objects.filter(work=work).select_related("source").order_by("pk"))


def source_match_count(*, work: Work) -> int:
    return SourceMatch.objects.filter(work=work, credited=False).count()
