"""Loads a demo plan into the archive through the same services the site uses, and keeps the
generated logins where `make run` can show them again."""

import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from fanfold.accounts.models import Pseud, User
from fanfold.accounts.services import pseud_create, superuser_create, user_create
from fanfold.comments.services import comment_create_on_news
from fanfold.news.services import banner_create, news_post_create
from fanfold.works.models import Work
from fanfold.works.services import (
    ChapterInput,
    chapter_create,
    creatorship_accept,
    work_create,
)

from .plan import ADMIN_USERNAME, ChapterPlan, DemoPlan, NewsPlan, WorkPlan

LOGINS_FILENAME = "demo-logins.txt"


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str


def demo_usernames(plan: DemoPlan) -> list[str]:
    return [ADMIN_USERNAME, *(writer.username for writer in plan.writers)]


def _password(*, username: str, email: str) -> str:
    # Random, so a demo archive left running on a network is not open to anyone who has read
    # this file; letters and digits only, so it copies cleanly out of a terminal. Drawn again
    # until the password validators accept it: about one draw in a few hundred shares enough
    # letters with a username such as "mothandlantern" to be refused as too similar, which
    # stopped `make run` now and then.
    alphabet = string.ascii_letters + string.digits
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        try:
            validate_password(password, user=User(username=username, email=email))
        except ValidationError:
            continue
        return password


def _chapter_input(chapter: ChapterPlan) -> ChapterInput:
    return ChapterInput(
        content=chapter.content,
        text_format=chapter.text_format,
        title=chapter.title,
        summary=chapter.summary,
        notes=chapter.notes,
        end_notes=chapter.end_notes,
        published_on=chapter.published_on,
    )


def _load_work(plan: WorkPlan, users: dict[str, User]) -> Work:
    owner = users[plan.creators[0][0]]
    pseuds = []
    for username, pseud_name in plan.creators:
        user_pseuds = Pseud.objects.filter(user=users[username])
        pseuds.append(
            user_pseuds.get(name=pseud_name) if pseud_name else user_pseuds.get(is_default=True)
        )
    first, *others = plan.chapters
    work = work_create(
        user=owner,
        pseuds=pseuds,
        title=plan.title,
        rating=plan.rating,
        warnings=list(plan.warnings),
        fandoms=list(plan.fandoms),
        categories=list(plan.categories),
        relationships=list(plan.relationships),
        characters=list(plan.characters),
        freeforms=list(plan.freeforms),
        summary=plan.summary,
        notes=plan.notes,
        end_notes=plan.end_notes,
        language=plan.language,
        published_on=first.published_on,
        expected_chapters=plan.expected_chapters,
        is_restricted=plan.is_restricted,
        comment_permission=plan.comment_permission,
        chapter=_chapter_input(first),
        post=plan.post,
    )
    for chapter in others:
        chapter_create(work=work, user=owner, chapter=_chapter_input(chapter), post=plan.post)
    # Co-creators are invited, not listed, until they accept; the demo's co-creators accept
    # through the same service their "Accept" button uses.
    for invitation in work.creatorships.filter(approved=False).select_related("pseud__user"):
        creatorship_accept(creatorship=invitation, user=invitation.pseud.user)
    return work


def _load_news(plan: NewsPlan, admin: User, users: dict[str, User]) -> None:
    """The admin's news post (with a writer's comment) and the banner linking to it."""
    post = news_post_create(user=admin, title=plan.title, body=plan.body, category=plan.category)
    comment_create_on_news(post=post, user=users[plan.comment_by], content=plan.comment)
    banner_create(
        user=admin,
        text=plan.banner_text,
        link_url=post.get_absolute_url(),
        link_text=plan.banner_link_text,
    )


@transaction.atomic
def demo_load(plan: DemoPlan) -> list[Login]:
    """Create the demo admin, writers (with their second pseuds) and works, a site news post
    with a comment, and the banner announcing it. All or nothing."""
    admin_email = f"{ADMIN_USERNAME}@example.org"
    admin_password = _password(username=ADMIN_USERNAME, email=admin_email)
    admin = superuser_create(username=ADMIN_USERNAME, email=admin_email, password=admin_password)
    logins = [Login(ADMIN_USERNAME, admin_password, "archive admin (Django admin at /admin/)")]
    users: dict[str, User] = {}
    for writer in plan.writers:
        password = _password(username=writer.username, email=writer.email)
        user = user_create(
            username=writer.username,
            email=writer.email,
            password=password,
            check_invitation=False,
            check_terms=False,  # generated writers: nobody is there to accept the terms
        )
        role = "writer"
        if writer.second_pseud:
            pseud_create(
                user=user, name=writer.second_pseud, description=writer.second_pseud_description
            )
            role = f"writer, also as the pseud {writer.second_pseud}"
        users[writer.username] = user
        logins.append(Login(writer.username, password, role))
    for work in plan.works:
        _load_work(work, users)
    _load_news(plan.news, admin, users)
    return logins


def logins_path() -> Path:
    return Path(settings.DATA_DIR) / LOGINS_FILENAME


def logins_write(logins: list[Login], path: Path | None = None) -> Path:
    """Write the logins readable by the owner only (mode 600): they are real passwords."""
    path = path or logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    width = max(len(login.username) for login in logins)
    lines = [
        "Fanfold demo accounts (made by `fanfold demo`; log in at /login)",
        *(f"  {login.username:<{width}}  {login.password}  {login.role}" for login in logins),
    ]
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    path.chmod(0o600)  # also when the file was there before with a wider mode
    return path
