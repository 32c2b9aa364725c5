"""Whole-archive import from eFiction 3.5: authors become accounts they can claim, stories
become works (through the works services, one transaction per story), old story ids are kept
for redirects. Reviews become comments, favorite stories and series become bookmarks, series
become series (each through its app's services, each once: the Efiction* records say what an
earlier run imported). What can't be imported is kept in the report with the reason."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fanfold.accounts.models import User
from fanfold.accounts.services import _user_create, pseud_update, user_create
from fanfold.bookmarks.services import bookmark_create
from fanfold.comments.services import comment_import
from fanfold.series.models import Series
from fanfold.series.services import series_add_work, series_create
from fanfold.works.models import Chapter, Creatorship, Work
from fanfold.works.services import (
    ChapterInput,
    chapter_create,
    creatorship_accept,
    work_create,
    work_post,
)
from fanfold.works.text import plain_text_to_html

from ..decoding import decode_text
from ..errors import ImportRefused
from ..models import (
    EfictionAuthor,
    EfictionFavorite,
    EfictionReview,
    EfictionSeries,
    EfictionStory,
)
from .mapping import Mapping
from .sqldump import Dump

FALLBACK_FANDOM = "Unsorted eFiction Fandom"
NO_WARNINGS = "Creator Chose Not To Use Archive Warnings"


@dataclass
class Carried:
    """What became of one kind of eFiction record (reviews, favorites, series): how many were
    imported by this run, how many by an earlier one, and the rest with the reason."""

    imported: int = 0
    existing: int = 0
    left: list[dict] = field(default_factory=list)

    def leave(self, row: dict, reason: str) -> None:
        self.left.append({**row, "reason": reason})

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "already_imported": self.existing,
            "not_imported": self.left,
        }


@dataclass
class Report:
    authors_created: list[str] = field(default_factory=list)
    authors_existing: list[str] = field(default_factory=list)
    works: list[tuple[int, int, str]] = field(default_factory=list)  # (sid, work id, title)
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (sid, title, why)
    reviews: Carried = field(default_factory=Carried)
    favorites: Carried = field(default_factory=Carried)
    series: Carried = field(default_factory=Carried)
    claims_sent: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "authors_created": self.authors_created,
            "authors_existing": self.authors_existing,
            "works": [{"sid": s, "work": w, "title": t} for s, w, t in self.works],
            "refused": [{"sid": s, "title": t, "reason": r} for s, t, r in self.refused],
            "series": self.series.as_dict(),
            "reviews": self.reviews.as_dict(),
            "favorites": self.favorites.as_dict(),
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


def efiction_datetime(value) -> datetime.datetime | None:
    """A review's moment (a Unix timestamp, or a MySQL datetime taken as UTC)."""
    if value in (None, "", 0, "0"):
        return None
    if isinstance(value, int | float) or str(value).isdigit():
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)
    try:
        moment = datetime.datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


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
    story_works = {
        row.sid: row for row in EfictionStory.objects.select_related("work").order_by("sid")
    }
    series_by_id = series_import(dump, users=users, story_works=story_works, report=report)
    reviews_import(dump, users=users, story_works=story_works, report=report)
    favorites_import(
        dump, users=users, story_works=story_works, series_by_id=series_by_id, report=report
    )
    return report


def _review_text(text: str) -> str:
    """eFiction shows a review's text with its line breaks (nl2br) and lets some markup
    through: plain text gets paragraphs, markup is sanitized by the comments service."""
    text = (text or "").strip()
    return text if "<" in text else plain_text_to_html(text)


def _review_chapter(story: EfictionStory, chapid) -> Chapter | None:
    try:
        position = story.chapter_ids.index(int(chapid or 0)) + 1
    except ValueError:
        return None
    return story.work.chapters.filter(position=position).first()


def reviews_import(
    dump: Dump, *, users: dict[int, User], story_works: dict[int, EfictionStory], report: Report
) -> None:
    """Each review of an imported story as a comment on its work (on the chapter it names),
    by the reviewer's imported account or as a guest under the name they gave, with its date.
    Reviews of series and challenges stay in the report: Fanfold has nowhere to put them."""
    carried = report.reviews
    done = set(EfictionReview.objects.values_list("reviewid", flat=True))
    for row in sorted(dump.table("reviews"), key=lambda r: int(r["reviewid"])):
        reviewid = int(row["reviewid"])
        kept = {
            "reviewid": reviewid,
            "type": row.get("type"),
            "item": row.get("item"),
            "chapter": row.get("chapid"),
            "reviewer": row.get("reviewer"),
            "uid": row.get("uid"),
            "review": row.get("review"),
            "date": str(efiction_datetime(row.get("date")) or ""),
        }
        if reviewid in done:
            carried.existing += 1
            continue
        if str(row.get("type") or "ST") != "ST":
            carried.leave(kept, "a review of a series or challenge (Fanfold has no comments there)")
            continue
        story = story_works.get(int(row.get("item") or 0))
        if story is None:
            carried.leave(kept, "its story was not imported")
            continue
        reviewer = users.get(int(row.get("uid") or 0))
        try:
            with transaction.atomic():
                comment = comment_import(
                    work=story.work,
                    chapter=_review_chapter(story, row.get("chapid")),
                    user=reviewer,
                    guest_name=str(row.get("reviewer") or ""),
                    content=_review_text(str(row.get("review") or "")),
                    created_at=efiction_datetime(row.get("date")),
                )
                EfictionReview.objects.create(reviewid=reviewid, comment=comment)
        except ValidationError as exc:
            carried.leave(kept, " ".join(exc.messages))
        else:
            carried.imported += 1


def series_import(
    dump: Dump, *, users: dict[int, User], story_works: dict[int, EfictionStory], report: Report
) -> dict[int, Series]:
    """Each eFiction series as a series of its owner's account with its imported stories in
    eFiction's order. A story imported by a later run joins the series then. Stories by other
    authors (eFiction's open series) stay out: on Fanfold only a work's creators may add it to
    a series. Returns the Fanfold series by eFiction id (for favorites of series)."""
    carried = report.series
    members: dict[int, list[tuple[int, int]]] = {}
    for row in dump.table("inseries"):
        members.setdefault(int(row["seriesid"]), []).append(
            (int(row.get("inorder") or 0), int(row.get("sid") or 0))
        )
    known = {r.seriesid: r for r in EfictionSeries.objects.select_related("series")}
    result: dict[int, Series] = {}
    for row in sorted(dump.table("series"), key=lambda r: int(r["seriesid"])):
        seriesid = int(row["seriesid"])
        sids = [sid for _, sid in sorted(members.get(seriesid, [])) if sid > 0]
        kept = {"series": seriesid, "title": row.get("title"), "stories": sids}
        record = known.get(seriesid)
        owner = users.get(int(row.get("uid") or 0))
        if record is None and owner is None:
            carried.leave(kept, f"its owner (uid {row.get('uid')}) is not in the dump")
            continue
        if record is not None and record.series is None:
            carried.existing += 1  # imported once, deleted since: it stays deleted
            continue
        try:
            with transaction.atomic():
                if record is None:
                    made = series_create(
                        user=owner,
                        title=str(row.get("title") or "").strip() or f"Untitled series {seriesid}",
                        summary=str(row.get("summary") or ""),
                    )
                    record = EfictionSeries.objects.create(seriesid=seriesid, series=made)
                    carried.imported += 1
                else:
                    carried.existing += 1
        except ValidationError as exc:
            carried.leave(kept, " ".join(exc.messages))
            continue
        series = record.series
        if series is None:  # only a record whose series was deleted has none; skipped above
            continue
        result[seriesid] = series
        for sid in sids:
            if sid in record.sids:
                continue
            story = story_works.get(sid)
            if story is None:
                carried.leave(
                    {"series": seriesid, "story": sid}, "the story was not imported (yet)"
                )
                continue
            try:
                with transaction.atomic():
                    series_add_work(series=series, work=story.work, user=series.owner)
            except (PermissionDenied, ValidationError) as exc:
                reason = exc.args[0] if isinstance(exc, PermissionDenied) else exc.messages[0]
                carried.leave({"series": seriesid, "story": sid}, str(reason))
                continue
            record.sids.append(sid)
            record.save(update_fields=["sids"])
    return result


def favorites_import(
    dump: Dump,
    *,
    users: dict[int, User],
    story_works: dict[int, EfictionStory],
    series_by_id: dict[int, Series],
    report: Report,
) -> None:
    """Each favorite story or series as a public bookmark by the member's imported account,
    with the comment they wrote as its notes. Favorite authors stay in the report (Fanfold
    has no such list; subscribing to the author is the nearest)."""
    carried = report.favorites
    done = set(EfictionFavorite.objects.values_list("uid", "type", "item"))
    for row in dump.table("favorites"):
        uid, kind, item = int(row["uid"]), str(row.get("type") or ""), int(row["item"])
        kept = {"uid": uid, "type": kind, "item": item, "comments": row.get("comments")}
        if (uid, kind, item) in done:
            carried.existing += 1
            continue
        if kind not in ("ST", "SE"):
            carried.leave(kept, "a favorite author (Fanfold has no list of favorite authors)")
            continue
        user = users.get(uid)
        if user is None:
            carried.leave(kept, f"its member (uid {uid}) is not in the dump")
            continue
        target: dict = {}
        if kind == "ST":
            story = story_works.get(item)
            if story is not None:
                target["work"] = story.work
        elif item in series_by_id:
            target["series"] = series_by_id[item]
        if not target:
            carried.leave(kept, "its story or series was not imported")
            continue
        try:
            with transaction.atomic():
                bookmark = bookmark_create(
                    user=user, notes=str(row.get("comments") or ""), **target
                )
                EfictionFavorite.objects.create(uid=uid, type=kind, item=item, bookmark=bookmark)
        except (PermissionDenied, ValidationError) as exc:
            reason = exc.args[0] if isinstance(exc, PermissionDenied) else exc.messages[0]
            carried.leave(kept, str(reason))
        else:
            carried.imported += 1


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
