"""Small factories for tests. They build state through the same service functions the site
uses, so a test's works look exactly like works the forms post."""

import itertools

from fanfold.works.models import Work
from fanfold.works.services import ChapterInput, chapter_create, creatorship_accept, work_create

_numbers = itertools.count(1)


def chapter_text(number: int, title: str) -> str:
    """Generated chapter text (two short paragraphs)."""
    return (
        f"<p>This is chapter {number} of {title}, written for the tests.</p>"
        "<p>The lanterns swung over the quiet harbour while the tide came in.</p>"
    )


def make_work(
    user,
    *,
    title: str | None = None,
    chapters: int = 1,
    post: bool = True,
    fandoms=("Generated Fandom",),
    rating: str = "General Audiences",
    warnings=("No Archive Warnings Apply",),
    pseuds=None,
    content: str | None = None,
    accept_invitations: bool = True,
    **fields,
) -> Work:
    """A work by `user` (their default pseud unless `pseuds` is given) with `chapters` chapters,
    posted unless post=False. `content` replaces the generated text of every chapter; other
    keyword arguments go to work_create (summary, freeforms, expected_chapters, ...). By
    default the expected number of chapters is the number made, so the work is complete.
    Other users' pseuds in `pseuds` are invited as co-creators and, unless
    accept_invitations=False, accept at once (through creatorship_accept), so they are full
    creators as most tests want."""
    title = title or f"Generated Work {next(_numbers)}"
    if pseuds is None:
        pseuds = [user.pseuds.get(is_default=True)]
    fields.setdefault("expected_chapters", chapters)
    work = work_create(
        user=user,
        pseuds=list(pseuds),
        title=title,
        rating=rating,
        warnings=list(warnings),
        fandoms=list(fandoms),
        chapter=ChapterInput(content=content or chapter_text(1, title)),
        post=post,
        **fields,
    )
    for number in range(2, chapters + 1):
        chapter_create(
            work=work,
            user=user,
            chapter=ChapterInput(content=content or chapter_text(number, title)),
            post=post,
        )
    if accept_invitations:
        for invitation in work.creatorships.filter(approved=False).select_related("pseud__user"):
            creatorship_accept(creatorship=invitation, user=invitation.pseud.user)
    work.refresh_from_db()
    return work
