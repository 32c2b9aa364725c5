"""Reads of works for readers: the work page, its chapters, and every listing of blurbs.

Listings go through `works_for_blurbs`, which loads creators and tags with a fixed number of
queries (one for the works, one for their taggings, one for their creatorships), so a page of
20 blurbs costs the same as a page of 2."""

import datetime

from django.db import router
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from fanfold.accounts.models import Pseud, User
from fanfold.blocking.selectors import work_by_muted_user
from fanfold.core.handwritten import read_rows
from fanfold.core.permissions import is_moderator
from fanfold.tags.models import Tag

from .models import Chapter, Creatorship, Tagging, Work


def _is_authenticated(user) -> bool:
    return user is not None and user.is_authenticated


def works_for_blurbs(works: QuerySet) -> QuerySet:
    """The works with everything a blurb or the metadata block shows, prefetched. Every
    creatorship is loaded, invitations too; templates show Work.approved_creatorships."""
    return works.prefetch_related(
        Prefetch("taggings", queryset=Tagging.objects.select_related("tag").only(*_TAGGING_SHOWN)),
        Prefetch(
            "creatorships",
            queryset=Creatorship.objects.select_related("pseud__user").only(*_CREATORSHIP_SHOWN),
        ),
    )


# What blurbs and the work page show of a work's tags and creators. The rest (a user's password
# hash, dates, counts) is left unread: on the most read pages, converting columns nobody shows
# was a third of these queries' time on PostgreSQL.
_TAGGING_SHOWN = ("work_id", "tag_id", "position", "tag__name", "tag__type", "tag__canonical")
_CREATORSHIP_SHOWN = (
    "work_id", "pseud_id", "position", "approved", "invited_by_id",
    "pseud__user_id", "pseud__name", "pseud__is_default", "pseud__user__username",
)  # fmt: skip


# The annotation a listing driven from a tag's filter rows carries (works_found_by_tag).
LISTED_REVISED_AT = "listed_revised_at"


def works_newest_first(works: QuerySet, *, descending: bool = True) -> QuerySet:
    """AO3's "date updated" order; the pk breaks ties so pages never overlap.

    A listing driven from a tag's filter rows sorts by their copy of the date, so the database
    reads the tag's rows in index order and stops after a page. No NULLS LAST: listed works
    always have a date, and PostgreSQL reads a b-tree backwards only in the plain DESC order."""
    column = F(LISTED_REVISED_AT if LISTED_REVISED_AT in works.query.annotations else "revised_at")
    if descending:
        return works.order_by(column.desc(), "-pk")
    return works.order_by(column.asc(), "pk")


def listed_for(viewer) -> list[int]:
    """The FilterTagging.listed values of the works this viewer may see in listings."""
    from fanfold.tags.models import Listed

    if _is_authenticated(viewer):
        return [Listed.EVERYONE, Listed.USERS]
    return [Listed.EVERYONE]


def works_found_by_tag(works: QuerySet, *, tag_id: int, viewer) -> QuerySet:
    """`works` narrowed to those found by the tag and listed for the viewer, through a join to
    the tag's filter rows (not EXISTS) so that the listing can be read from the
    `filtertagging_listing` index in its order (see works_newest_first)."""
    works = works.filter(
        filter_taggings__filter_id=tag_id, filter_taggings__listed__in=listed_for(viewer)
    )
    return works.annotate(**{LISTED_REVISED_AT: F("filter_taggings__revised_at")})


def works_driven_by_tag(works: QuerySet) -> bool:
    return LISTED_REVISED_AT in works.query.annotations


def works_posted_visible_to(viewer) -> QuerySet:
    """Posted works this viewer may see: the posted part of Work.objects.visible_to(viewer).

    Written without visible_to()'s creator join (and its SELECT DISTINCT over every column) so
    that listings can page through the (is_posted, revised_at) index; a test keeps the two
    rules equal."""
    works = Work.objects.posted().filter(is_hidden=False)
    if not _is_authenticated(viewer):
        works = works.filter(is_restricted=False)
    else:  # works by users the viewer muted are gone from every listing and count
        works = works.exclude(work_by_muted_user(viewer))
    return works


def works_gathered_for(viewer) -> QuerySet:
    """The works a viewer may see where pages gather them (a series, bookmarks):
    Work.objects.visible_to(viewer), and for moderators the posted works hidden by moderators
    as well, as on the work page (work_get_for_reading), so that they can review a hidden
    work where it is gathered. Drafts stay their creators' alone."""
    works = Work.objects.visible_to(viewer)
    if is_moderator(viewer):
        return Work.objects.filter(Q(pk__in=works.values("pk")) | Q(is_posted=True))
    return works


def _by_user(user) -> Exists:
    # Exists, not a join: a work credited to two pseuds of one user must be listed once.
    # Only accepted creatorships count: an invitation lists nobody.
    return Exists(Creatorship.objects.filter(work=OuterRef("pk"), pseud__user=user, approved=True))


def work_list_newest(*, user, limit: int) -> list[Work]:
    """The newest posted works this user may see (the home page), less those they excluded
    for good (fanfold.savedfilters)."""
    from fanfold.savedfilters.selectors import works_without_exclusions

    works = works_without_exclusions(works_posted_visible_to(user), viewer=user)
    return list(works_for_blurbs(works_newest_first(works))[:limit])


def work_list_posted(*, viewer) -> QuerySet:
    """Every posted work the viewer may see, newest first, ready for blurbs (/works)."""
    return works_for_blurbs(works_newest_first(works_posted_visible_to(viewer)))


def works_listed_for_user(*, owner, viewer) -> QuerySet:
    """The owner's posted works (under any pseud) that the viewer may see, unordered (listings
    filter and sort them)."""
    return works_posted_visible_to(viewer).filter(_by_user(owner))


def works_listed_for_pseud(*, pseud, viewer) -> QuerySet:
    """The pseud's posted works that the viewer may see, unordered."""
    return works_posted_visible_to(viewer).filter(
        Exists(Creatorship.objects.filter(work=OuterRef("pk"), pseud=pseud, approved=True))
    )


def works_listed_for_tag(*, tag, viewer) -> QuerySet:
    """Posted works the viewer may see that are found by this tag: the works of
    listing_rows_for_tag's rows, which state the rule. Listings page through those rows
    instead."""
    return Work.objects.filter(
        pk__in=listing_rows_for_tag(tag_id=tag.pk, viewer=viewer).values("work_id")
    )


def listing_rows_for_tag(*, tag_id: int, viewer) -> QuerySet:
    """The filter rows (FilterTagging, one per work) of the posted works found by this tag that
    the viewer may see: works tagged with it, with one of its synonyms, or with one of its sub
    tags (the stored filter sets, fanfold.tags.filters). Visibility is read from the rows' copy
    (FilterTagging.listed); works by users the viewer muted are left out as in
    works_posted_visible_to.

    Tag pages and tag filters count, order and page these rows and load only the page's works
    afterwards: the rows carry the work's "Updated" date and visibility, so the count and the
    page are range scans of the `filtertagging_listing` index. A query over works joined to
    these rows probed works_work once per row (10,000 probes for a capped count, 150 ms at a
    million works on PostgreSQL)."""
    from fanfold.tags.models import FilterTagging

    rows = FilterTagging.objects.filter(filter_id=tag_id, listed__in=listed_for(viewer))
    if _is_authenticated(viewer):
        rows = rows.exclude(work_by_muted_user(viewer, work_ref="work_id"))
    return rows


def works_newest_posted_for_tag(*, tag_id: int, limit: int) -> list[Work]:
    """The `limit` most recently posted works found by the tag that a guest may see, newest
    first (a tag's feed), loaded for blurbs.

    No index orders a tag's works by posting date, and sorting all of a big fandom's works
    took a second at a million works. Its filter rows are ordered by the "Updated" date, which
    is never before the posting date (backdating only moves that earlier), so the newest posted
    works are among the most recently updated: read rows newest-updated first, more each time,
    until the limit-th posting date found is later than any unread row could have."""
    rows = listing_rows_for_tag(tag_id=tag_id, viewer=None).order_by("-revised_at", "-work_id")
    read = limit * 4
    while True:
        # The rows alone (the listing index, in order), then the posting dates of those works:
        # joined in one query, PostgreSQL hashed the whole tag's works.
        batch = list(rows.values_list("work_id", "revised_at")[:read])
        found = sorted(
            Work.objects.filter(pk__in=[work_id for work_id, _ in batch]).values_list(
                "published_on", "pk"
            ),
            key=lambda row: (row[0] or datetime.date.min, row[1]),
            reverse=True,
        )[:limit]
        if len(batch) < read or not found:
            break  # every row was read
        # An unread row was updated no later than the last row read, so posted no later than
        # that day (a day's margin: posting dates are local, update times are UTC).
        latest_unread = batch[-1][1].date() + datetime.timedelta(days=1)
        if len(found) == limit and found[-1][0] is not None and found[-1][0] > latest_unread:
            break
        read *= 4
    return works_in_order([pk for _, pk in found])


def works_in_order(work_ids: list[int]) -> list[Work]:
    """The works with these ids, loaded for blurbs, in the order of the ids (a listing's page
    read as ids from listing_rows_for_tag)."""
    found = {work.pk: work for work in works_for_blurbs(Work.objects.filter(pk__in=work_ids))}
    return [found[work_id] for work_id in work_ids if work_id in found]


def work_list_for_user(*, owner, viewer) -> QuerySet:
    """The owner's posted works (under any pseud) that the viewer may see, newest first."""
    return works_for_blurbs(works_newest_first(works_listed_for_user(owner=owner, viewer=viewer)))


def work_list_for_pseud(*, pseud, viewer) -> QuerySet:
    """The pseud's posted works that the viewer may see, newest first."""
    return works_for_blurbs(works_newest_first(works_listed_for_pseud(pseud=pseud, viewer=viewer)))


def work_list_for_tag(*, tag, viewer) -> QuerySet:
    """Posted works found by this tag that the viewer may see, newest first."""
    return works_for_blurbs(works_newest_first(works_listed_for_tag(tag=tag, viewer=viewer)))


def work_list_drafts(*, owner) -> QuerySet:
    """The owner's drafts, most recently edited first. Only the owner may be shown these."""
    works = Work.objects.filter(_by_user(owner), is_posted=False)
    return works_for_blurbs(works.order_by("-updated_at", "-pk"))


def work_get_for_reading(*, work_id: int, user) -> Work | None:
    """The work with its creators and tags loaded, or None when it does not exist or is a draft
    this user did not create (a draft is nobody else's business, so it is "not found"), or is
    hidden by a moderator and the user is neither one of its creators nor a moderator.

    Restricted works are returned to guests too: the view sends them to the login page."""
    try:
        work = Work.objects.get(pk=work_id)
    except Work.DoesNotExist:
        return None
    _load_tags_and_creators(work)
    if not work.is_posted and not work_user_is_creator(work=work, user=user):
        return None
    if work.is_hidden and not (
        work_user_is_creator(work=work, user=user) or getattr(user, "may_moderate", False)
    ):
        return None
    return work


# The work page is the archive's most read page, and there Django's query compiler took longer
# than the database: building the two prefetch queries of works_for_blurbs (joins, the models'
# ordering, the IN filter) cost ~4 ms a view on PostgreSQL, the queries themselves under 1 ms.
# These are the same reads (same columns as _TAGGING_SHOWN / _CREATORSHIP_SHOWN, same order),
# written out once (see fanfold.core.handwritten).
_TAGGINGS_OF_WORK = f"""
    SELECT tagging.id, tagging.tag_id, tagging.position, tag.name, tag.type, tag.canonical
    FROM {Tagging._meta.db_table} tagging JOIN {Tag._meta.db_table} tag ON tag.id = tagging.tag_id
    WHERE tagging.work_id = %s ORDER BY tagging.position, tagging.id"""
_CREATORSHIPS_OF_WORK = f"""
    SELECT creatorship.id, creatorship.pseud_id, creatorship.position, creatorship.approved,
           creatorship.invited_by_id, pseud.user_id, pseud.name, pseud.is_default, person.username
    FROM {Creatorship._meta.db_table} creatorship
    JOIN {Pseud._meta.db_table} pseud ON pseud.id = creatorship.pseud_id
    JOIN {User._meta.db_table} person ON person.id = pseud.user_id
    WHERE creatorship.work_id = %s ORDER BY creatorship.position, creatorship.id"""


def _load_tags_and_creators(work: Work) -> None:
    """Load the work's taggings (with their tags) and creatorships (with pseuds and users) as
    works_for_blurbs would, into the same place: work.taggings.all() and
    work.creatorships.all() then answer without a query."""
    db = router.db_for_read(Work)
    taggings = []
    for tagging_id, tag_id, position, name, tag_type, canonical in read_rows(
        Tagging, _TAGGINGS_OF_WORK, [work.pk]
    ):
        tagging = Tagging.from_db(
            db, ["id", "work_id", "tag_id", "position"], [tagging_id, work.pk, tag_id, position]
        )
        tag = Tag.from_db(
            db, ["id", "name", "type", "canonical"], [tag_id, name, tag_type, canonical]
        )
        Tagging.tag.field.set_cached_value(tagging, tag)
        Tagging.work.field.set_cached_value(tagging, work)
        taggings.append(tagging)
    creatorships = []
    for row in read_rows(Creatorship, _CREATORSHIPS_OF_WORK, [work.pk]):
        creatorship_id, pseud_id, position, approved, invited_by_id = row[:5]
        user_id, pseud_name, is_default, username = row[5:]
        creatorship = Creatorship.from_db(
            db,
            ["id", "work_id", "pseud_id", "position", "approved", "invited_by_id"],
            [creatorship_id, work.pk, pseud_id, position, approved, invited_by_id],
        )
        pseud = Pseud.from_db(
            db,
            ["id", "user_id", "name", "is_default"],
            [pseud_id, user_id, pseud_name, is_default],
        )
        person = User.from_db(db, ["id", "username"], [user_id, username])
        Pseud.user.field.set_cached_value(pseud, person)
        Creatorship.pseud.field.set_cached_value(creatorship, pseud)
        Creatorship.work.field.set_cached_value(creatorship, work)
        creatorships.append(creatorship)
    # Where prefetch_related puts what it read (Django's own prefetch_one_level does the same).
    work._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "taggings": _prefetched(work.taggings, taggings),
        "creatorships": _prefetched(work.creatorships, creatorships),
    }


def _prefetched(manager, rows: list) -> QuerySet:
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def work_user_is_creator(*, work: Work, user) -> bool:
    """Whether the user is one of the work's creators (uses prefetched creatorships). An
    invitation that has not been accepted gives no rights."""
    if not _is_authenticated(user):
        return False
    return any(creatorship.pseud.user_id == user.pk for creatorship in work.approved_creatorships)


# The work page's chapter reads are written by hand (see fanfold.core.handwritten), through
# Model.objects.raw, which still converts each column as the ORM does: compiling them through
# the ORM cost more than running them (1.7 ms against 1 ms for a 21-chapter index
# on PostgreSQL). Columns left out of a raw read are deferred, as with defer().
_CHAPTER_TEXT_FIELDS = ("content", "summary", "notes", "end_notes")
_CHAPTER_SELECT = "SELECT {columns} FROM " + Chapter._meta.db_table + " WHERE work_id = %s {more}"

_CHAPTER_COLUMNS = {
    with_text: ", ".join(
        str(field.column)
        for field in Chapter._meta.concrete_fields
        if with_text or field.name not in _CHAPTER_TEXT_FIELDS
    )
    for with_text in (False, True)
}


def chapter_list_for_reading(*, work: Work, is_creator: bool, with_text: bool = False):
    """The chapters this reader may see, in order: posted ones, plus drafts for the creators.

    Without with_text the chapters' texts are not loaded (enough for the chapter index)."""
    more = ("" if is_creator else "AND is_posted ") + "ORDER BY position"
    sql = _CHAPTER_SELECT.format(columns=_CHAPTER_COLUMNS[with_text], more=more)
    return list(Chapter.objects.raw(sql, [work.pk]))


def chapter_get_for_reading(*, work: Work, chapter_id: int, is_creator: bool) -> Chapter | None:
    """One chapter of this work with its text, or None when it is not this work's or is a draft
    chapter the reader may not see."""
    more = "AND id = %s" + ("" if is_creator else " AND is_posted")
    sql = _CHAPTER_SELECT.format(columns=_CHAPTER_COLUMNS[True], more=more)
    return next(iter(Chapter.objects.raw(sql, [work.pk, chapter_id])), None)


def creatorship_invitations_for_user(*, user) -> list[Creatorship]:
    """The user's co-creator invitations waiting for an answer, newest first, with the work and
    who sent them loaded. The work may be a draft the user can't open yet: show its title only."""
    if not _is_authenticated(user):
        return []
    return list(
        Creatorship.objects.filter(pseud__user=user, approved=False)
        .select_related("work", "pseud__user", "invited_by")
        .order_by("-pk")
    )
