"""Whole-archive import from eFiction 3.5: authors become accounts they can claim, stories
become works (through the works services, one transaction per story), old story ids are kept
for redirects. Reviews, favorites and series are read and kept in the report: Fanfold has no
comments, bookmarks or series to put them in yet."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fanfold.accounts.models import User
from fanfold.accounts.services import _user_create, pseud_update, user_create
from fanfold.works.models import Creatorship, Work
from fanfold.works.services import (
    ChapterInput,
    chapter_create,
    creatorship_accept,
    work_create,
    work_post,
)

from ..decoding import decode_text
from ..errors import ImportRefused
from ..models import EfictionAuthor, EfictionStory
from .mapping import Mapping
from .sqldump import Dump

FALLBACK_FANDOM = "Unsorted eFiction Fandom"
NO_WARNINGS = "Creator Chose Not To Use Archive Warnings"


@dataclass
class Report:
    authors_created: list[str] = field(default_factory=list)
    authors_existing: list[str] = field(default_factory=list)
    works: list[tuple[int, int, str]] = field(default_factory=list)  # (sid, work id, title)
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (sid, title, why)
    reviews: list[dict] = field(default_factory=list)
    favorites: list[dict] = field(default_factory=list)
    series: list[dict] = field(default_factory=list)
    claims_sent: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "authors_created": self.authors_created,
            "authors_existing": self.authors_existing,
            "works": [{"sid": s, "work": w, "title": t} for s, w, t in self.works],
            "refused": [{"sid": s, "title": t, "reason": r} for s, t, r in self.refused],
            "series": self.series,
            # Kept here until Fanfold has comments and bookmarks to import them into.
            "reviews": self.reviews,
            "favorites": self.favorites,
            "claims_sent": self.claims_sent,
        }


def id_list(value) -> list[int]:
    """eFiction's comma-separated id lists ("1,4, 7", "", "0", None)."""
    if value is None:
        return []
    return [int(part) for part in re.findall(r"\d+", str(value)) if int(part) > 0]


def efiction_date(value) -> datetime.date | None:
    """eFiction 3.5 keeps dates as Unix timestamps; some dumps have MySQL datetimes."""
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, int | float) or str(value).isdigit():
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC).date()
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


_USERNAME_BAD = re.compile(r"[^A-Za-z0-9_]+")


def _username_for(penname: str, uid: int) -> str:
    base = _USERNAME_BAD.sub("_", penname).strip("_")[:30] or f"efiction_{uid}"
    if not base[0].isalpha():
        base = f"a_{base}"[:30]
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base[:26]}_{number}"
    return candidate


def _account_create(username: str, email: str) -> User:
    """An account without a password. An author without an address, or with one that is
    malformed or already another account's, gets none: the admin can add one in the admin
    before sending claims (attaching works to an existing account by its address would let
    anyone who once typed that address into eFiction take them)."""
    try:
        with transaction.atomic():
            return user_create(
                username=username,
                email=email,
                password=None,
                check_invitation=False,
                check_terms=False,
                validate_new_password=False,
            )
    except ValidationError as exc:
        if "email" not in getattr(exc, "error_dict", {}):
            raise
    # The accounts app's own creation step, as for the orphan account: user_create insists on
    # an address because people signing up must give one; these accounts are made for people
    # who are not there.
    return _user_create(
        username=username,
        email="",
        allow_reserved=False,
        accepted_terms=False,
        confirmed_age=False,
        invitation_code=None,
        require_email=False,
        password=None,
        check_invitation=False,
        check_terms=False,
        validate_new_password=False,
    )


def authors_import(dump: Dump, report: Report) -> dict[int, User]:
    """An account per eFiction author (kept if made by an earlier run), without a password:
    the author claims it through the e-mailed link (claims_send)."""
    users: dict[int, User] = {}
    known = {a.uid: a for a in EfictionAuthor.objects.select_related("user")}
    for row in dump.table("authors"):
        uid = int(row["uid"])
        penname = str(row.get("penname") or f"Author {uid}").strip()
        if uid in known:
            users[uid] = known[uid].user
            report.authors_existing.append(penname)
            continue
        email = str(row.get("email") or "").strip()
        with transaction.atomic():
            user = _account_create(_username_for(penname, uid), email)
            pseud = user.pseuds.get(is_default=True)
            if pseud.name != penname:
                # Works are credited to the pen name the author had; a name Fanfold refuses
                # for a pseud leaves the username.
                try:
                    with transaction.atomic():
                        pseud_update(pseud=pseud, user=user, name=penname)
                except ValidationError:
                    pass
            EfictionAuthor.objects.create(uid=uid, user=user, penname=penname)
        users[uid] = user
        report.authors_created.append(penname)
    return users


def _chapter_text(row: dict, stories_dir: Path | None) -> str:
    text = row.get("storytext") or ""
    if str(text).strip():
        return str(text)
    if stories_dir is None:
        raise ImportRefused(
            f"chapter {row['chapid']} has no text in the database (if the archive kept its "
            "texts in files, give its stories folder with --stories-dir)"
        )
    # eFiction's "store in files" setting: stories/UID/CHAPID.txt
    path = stories_dir / str(row["uid"]) / f"{row['chapid']}.txt"
    if not path.is_file():
        raise ImportRefused(f"chapter {row['chapid']} has no text in the database or in {path}")
    return decode_text(path.read_bytes(), filename=str(path), html=True)


def _tags(story: dict, mapping: Mapping) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {
        "fandom": [],
        "character": [],
        "relationship": [],
        "freeform": [],
        "warning": [],
        "category": [],
    }
    for section, column in (
        ("categories", "catid"),
        ("characters", "charid"),
        ("classes", "classes"),
    ):
        for item in id_list(story.get(column)):
            target = getattr(mapping, section).get(item)
            if (
                target is not None
                and target.type != "ignore"
                and target.name
                and target.name not in tags[target.type]
            ):
                tags[target.type].append(target.name)
    return tags


def story_import(
    story: dict,
    *,
    dump_chapters: list[dict],
    users: dict[int, User],
    coauthors: list[int],
    mapping: Mapping,
    stories_dir: Path | None,
) -> Work:
    """One story as a work, in one transaction: posted when it was validated on eFiction, a
    draft otherwise. Raises ValidationError or ImportRefused with the reason."""
    sid = int(story["sid"])
    owner = users.get(int(story["uid"]))
    if owner is None:
        raise ImportRefused(f"its author (uid {story['uid']}) is not in the dump")
    chapters = sorted(dump_chapters, key=lambda row: (int(row.get("inorder") or 0), row["chapid"]))
    if not chapters:
        raise ImportRefused("it has no chapters")
    tags = _tags(story, mapping)
    rating_ids = id_list(story.get("rid"))
    rating = mapping.ratings.get(rating_ids[0], "Not Rated") if rating_ids else "Not Rated"
    pseuds = [owner.pseuds.get(is_default=True)]
    co_users = [
        users[uid] for uid in dict.fromkeys(coauthors) if uid in users and users[uid] != owner
    ]
    pseuds += [user.pseuds.get(is_default=True) for user in co_users]
    published = efiction_date(story.get("date"))
    is_complete = str(story.get("completed") or "0") not in ("0", "")
    validated = str(story.get("validated") or "0") not in ("0", "")

    def chapter_input(row: dict) -> ChapterInput:
        return ChapterInput(
            content=_chapter_text(row, stories_dir),
            text_format="html",
            title=str(row.get("title") or "").strip()[:255],
            notes=str(row.get("notes") or ""),
            end_notes=str(row.get("endnotes") or ""),
        )

    with transaction.atomic():
        work = work_create(
            user=owner,
            pseuds=pseuds,
            title=str(story.get("title") or "").strip() or f"Untitled story {sid}",
            rating=rating,
            warnings=tags["warning"] or [NO_WARNINGS],
            fandoms=tags["fandom"] or [FALLBACK_FANDOM],
            categories=tags["category"],
            relationships=tags["relationship"],
            characters=tags["character"],
            freeforms=tags["freeform"],
            summary=str(story.get("summary") or ""),
            notes=str(story.get("storynotes") or ""),
            published_on=published if published and published <= timezone.localdate() else None,
            expected_chapters=len(chapters) if is_complete else None,
            chapter=chapter_input(chapters[0]),
            post=False,
        )
        for number, row in enumerate(chapters[1:], start=2):
            try:
                chapter_create(work=work, user=owner, chapter=chapter_input(row), post=False)
            except ValidationError as exc:
                raise ValidationError([f"chapter {number}: {m}" for m in exc.messages]) from None
        # Co-authors wrote it with the owner on eFiction: their invitations are accepted.
        for invitation in Creatorship.objects.filter(work=work, approved=False).select_related(
            "pseud__user"
        ):
            creatorship_accept(creatorship=invitation, user=invitation.pseud.user)
        if validated:
            work = work_post(work=work, user=owner)
        EfictionStory.objects.create(
            sid=sid, work=work, chapter_ids=[int(row["chapid"]) for row in chapters]
        )
    return work


def archive_import(
    dump: Dump,
    *,
    mapping: Mapping,
    stories_dir: Path | None = None,
    progress: Callable = lambda items, **kwargs: items,
) -> Report:
    """Import the whole dump; `progress` wraps the story loop (a progress bar)."""
    report = Report()
    users = authors_import(dump, report)
    chapters_by_story: dict[int, list[dict]] = {}
    for row in dump.table("chapters"):
        chapters_by_story.setdefault(int(row["sid"]), []).append(row)
    coauthors: dict[int, list[int]] = {}
    for row in dump.table("coauthors"):
        coauthors.setdefault(int(row["sid"]), []).append(int(row["uid"]))
    done = set(EfictionStory.objects.values_list("sid", flat=True))
    stories = sorted(dump.table("stories"), key=lambda row: int(row["sid"]))
    for story in progress(stories, desc="Importing stories", unit="story"):
        sid = int(story["sid"])
        title = str(story.get("title") or "")
        if sid in done:
            report.refused.append((sid, title, "already imported by an earlier run"))
            continue
        story_coauthors = coauthors.get(sid, []) + id_list(story.get("coauthors"))
        try:
            work = story_import(
                story,
                dump_chapters=chapters_by_story.get(sid, []),
                users=users,
                coauthors=story_coauthors,
                mapping=mapping,
                stories_dir=stories_dir,
            )
        except ValidationError as exc:
            report.refused.append((sid, title, " ".join(exc.messages)))
        except ImportRefused as exc:
            report.refused.append((sid, title, exc.message))
        else:
            report.works.append((sid, work.pk, work.title))
    report.reviews = [
        {
            "story": row.get("item"),
            "chapter": row.get("chapid"),
            "reviewer": row.get("reviewer"),
            "uid": row.get("uid"),
            "review": row.get("review"),
            "date": str(efiction_date(row.get("date")) or ""),
        }
        for row in dump.table("reviews")
        if str(row.get("type") or "ST") == "ST"
    ]
    report.favorites = [
        {"uid": row.get("uid"), "type": row.get("type"), "item": row.get("item")}
        for row in dump.table("favorites")
    ]
    memberships: dict[int, list[int]] = {}
    for row in sorted(dump.table("inseries"), key=lambda r: int(r.get("inorder") or 0)):
        memberships.setdefault(int(row["seriesid"]), []).append(int(row["sid"]))
    report.series = [
        {
            "series": int(row["seriesid"]),
            "title": row.get("title"),
            "stories": memberships.get(int(row["seriesid"]), []),
        }
        for row in dump.table("series")
    ]
    return report


def claims_send(*, archive_name: str) -> list[str]:
    """Mail every imported author who has an address and no password yet a link to claim
    their account: Django's password-reset link, valid as long as a reset link is. Returns
    the usernames mailed."""
    sent = []
    site = settings.SITE_URL.rstrip("/")
    for author in EfictionAuthor.objects.select_related("user").filter(claim_sent_at=None):
        user = author.user
        if not user.email or user.has_usable_password():
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = site + reverse("password_reset_confirm", args=[uid, token])
        send_mail(
            subject=f"Your stories from {archive_name} are on {settings.SITE_NAME}",
            message=(
                f"Hello {author.penname},\n\n"
                f"The stories you posted on {archive_name} have moved to {settings.SITE_NAME}. "
                f"An account has been made for you: {user.username}.\n\n"
                f"To claim it, choose a password here:\n{link}\n\n"
                'If the link has expired, use "Forgot password" on the login page with this '
                "e-mail address.\n"
            ),
            from_email=None,
            recipient_list=[user.email],
        )
        author.claim_sent_at = timezone.now()
        author.save(update_fields=["claim_sent_at"])
        sent.append(user.username)
    return sent
