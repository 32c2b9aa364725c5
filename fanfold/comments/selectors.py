"""Reads of comments: the threads a reader is shown under a work or a chapter (a page of
them) or a news post, one thread, where a comment is shown, comment counts without muted
users, and the comments held for moderation as spam."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from fanfold.blocking.selectors import muted_user_ids_subquery
from fanfold.core.handwritten import read_rows
from fanfold.core.permissions import is_moderator
from fanfold.works.models import Chapter, Work

from .models import Comment, CommentStatus, counted_filter

# Replies deeper than this are folded into a "more replies" disclosure (a <details> element,
# so it opens without JavaScript), keeping long threads readable on a phone.
COLLAPSE_DEPTH = 4

HIDDEN = "This work is hidden pending review, so comments are closed for now."


@dataclass
class CommentNode:
    comment: Comment
    children: list["CommentNode"] = field(default_factory=list)

    @property
    def reply_count(self) -> int:
        """How many replies are shown under this comment, at any depth."""
        return sum(1 + child.reply_count for child in self.children)

    @property
    def collapsed(self) -> bool:
        """Whether the replies under this comment are folded (once: everything deeper is
        inside the one disclosure, not indented further)."""
        return self.comment.depth + 1 == COLLAPSE_DEPTH


# The query parameter of the comments' page on a work or chapter page.
PAGE_PARAM = "comments_page"


def _is_guest(viewer) -> bool:
    return viewer is None or not viewer.is_authenticated


def _visible(comments, *, viewer, is_creator: bool):
    """Published comments, plus waiting ones for the work's creators and their own authors;
    comments hidden by moderators for moderators and their own authors only; users the viewer
    muted are removed along with the replies under their comments."""
    if _is_guest(viewer):
        # A guest mutes nobody and wrote none of them: the plain conditions, which Django
        # compiles in a fraction of the time (every work page asks).
        if not is_creator:
            comments = comments.filter(status=CommentStatus.PUBLISHED)
        return comments.filter(is_hidden=False)
    comments = comments.exclude(user__in=muted_user_ids_subquery(viewer))
    mine = Q(user=viewer)
    if not is_creator:
        comments = comments.filter(Q(status=CommentStatus.PUBLISHED) | mine)
    if not is_moderator(viewer):
        comments = comments.filter(Q(is_hidden=False) | mine)
    return comments


def sees_waiting_comments(*, work: Work, viewer, is_creator: bool) -> bool:
    """Whether the viewer sees the work's comments that wait for approval (on a moderated work,
    or held as possible spam): its creators, who approve them; and, on a work moderators have
    hidden pending review, the moderators. Reviewing a hidden work means seeing everything on
    it, as AO3's abuse team does; on a work everyone may read, comments waiting for the
    creators' approval stay the creators' business (spam held from guests is on
    /comments/held)."""
    return is_creator or (work.is_hidden and is_moderator(viewer))


def comment_visible_to(*, comment: Comment, viewer, is_creator: bool) -> bool:
    """Whether the viewer may see this comment at all (its page, its buttons), by the same rules
    as the threads."""
    return _visible(
        Comment.objects.filter(pk=comment.pk), viewer=viewer, is_creator=is_creator
    ).exists()


def _tree(rows: list[Comment], roots_filter) -> list[CommentNode]:
    nodes = {comment.pk: CommentNode(comment) for comment in rows}
    roots = []
    for comment in rows:
        node = nodes[comment.pk]
        if roots_filter(comment):
            roots.append(node)
        elif comment.parent_id in nodes:
            nodes[comment.parent_id].children.append(node)
        # a reply whose parent is not shown (muted, waiting) is not shown either

    def prune(node_list: list[CommentNode]) -> list[CommentNode]:
        kept = []
        for node in node_list:
            node.children = prune(node.children)
            # A deleted comment stays as a placeholder only while replies hang from it.
            if not node.comment.is_deleted or node.children:
                kept.append(node)
        return kept

    return prune(roots)


def comment_threads(
    *, work: Work, viewer, is_creator: bool, chapter: Chapter | None = None
) -> list[CommentNode]:
    """The comment threads under the work (all of them) or under one chapter, oldest first,
    as this viewer may see them."""
    comments = Comment.objects.filter(work=work)
    if chapter is not None:
        comments = comments.filter(chapter=chapter)
    rows = list(_visible(comments, viewer=viewer, is_creator=is_creator).select_related("user"))
    return _tree(rows, lambda comment: comment.parent_id is None)


# The threads a guest may see under a work or a chapter, counted by hand (see
# fanfold.core.handwritten): guests are most of the work page's readers, and this count
# through _visible and the paginator cost about 1.5 ms of compiling a view. The conditions are
# _visible's for a guest (published, not hidden), on top-level comments; a test holds the two
# to the same answers.
_GUEST_ROOTS = (
    f"SELECT COUNT(*) FROM {Comment._meta.db_table} WHERE work_id = %s {{chapter}}"
    " AND parent_id IS NULL AND status = %s AND NOT is_hidden"
)


def _guest_root_count(*, work: Work, chapter: Chapter | None) -> int:
    sql = _GUEST_ROOTS.format(chapter="AND chapter_id = %s" if chapter is not None else "")
    params: list[int | str] = [work.pk]
    if chapter is not None:
        params.append(chapter.pk)
    params.append(CommentStatus.PUBLISHED.value)
    return read_rows(Comment, sql, params)[0][0]


@dataclass
class CommentPage:
    threads: list[CommentNode]
    page: Page  # of the top-level comments' ids
    total: int  # comments (not deleted) the viewer may see here, on every page


def comment_page(
    *,
    work: Work,
    viewer,
    is_creator: bool,
    chapter: Chapter | None = None,
    page_number=1,
    per_page: int | None = None,
) -> CommentPage:
    """One page of the comment threads under the work (or one chapter), oldest first (AO3
    shows the newest last): `per_page` top-level comments, each with every reply the viewer
    may see. A page number that is not one gives the nearest page, so a stale link still shows
    comments. A fixed number of queries (count, the page's thread roots, their comments, the
    total), whatever the number of comments."""
    per_page = per_page or settings.FANFOLD_COMMENTS_PER_PAGE
    guest_count = None
    if not is_creator and _is_guest(viewer):
        guest_count = _guest_root_count(work=work, chapter=chapter)
        if not guest_count:  # nothing to page: no queries to build either
            return CommentPage(threads=[], page=Paginator([], per_page).get_page(1), total=0)
    comments = Comment.objects.filter(work=work)
    if chapter is not None:
        comments = comments.filter(chapter=chapter)
    visible = _visible(comments, viewer=viewer, is_creator=is_creator)
    roots = visible.filter(parent__isnull=True).order_by("created_at", "pk")
    paginator = Paginator(roots.values_list("pk", flat=True), per_page)
    if guest_count is not None:
        paginator.count = guest_count  # type: ignore[misc]
    page = paginator.get_page(page_number)
    root_ids = list(page.object_list)
    rows = list(visible.filter(thread_id__in=root_ids).select_related("user")) if root_ids else []
    threads = _tree(rows, lambda comment: comment.parent_id is None)
    total = visible.filter(is_deleted=False).count() if paginator.count else 0
    return CommentPage(threads=threads, page=page, total=total)


def comment_location_url(*, comment: Comment, viewer, is_creator: bool) -> str:
    """Where the comment is shown in its place, for this viewer: its chapter's page (or the
    entire work, or a one-shot's page), at the page of comments holding its thread, at its
    anchor. The comment must have its work loaded."""
    work = comment.work
    assert work is not None  # a news post's comments are shown on its one page
    chaptered = work.chapter_count > 1 or work.expected_chapters != 1
    comments = Comment.objects.filter(work_id=work.pk)
    query: dict[str, str | int] = {}
    if chaptered and comment.chapter_id is not None:
        path = reverse("chapter_detail", args=[comment.work_id, comment.chapter_id])
        comments = comments.filter(chapter_id=comment.chapter_id)
    else:
        path = reverse("work_detail", args=[comment.work_id])
        if chaptered:
            # A comment on the work as a whole shows only on the entire work's page.
            query["view_full_work"] = "true"
    if comment.parent_id is None:
        root_at, root_pk = comment.created_at, comment.pk
    else:
        assert comment.thread_id is not None  # every reply knows its thread
        root_at, root_pk = (
            Comment.objects.filter(pk=comment.thread_id).values_list("created_at", "pk").get()
        )
    before = (
        _visible(comments, viewer=viewer, is_creator=is_creator)
        .filter(parent__isnull=True)
        .filter(Q(created_at__lt=root_at) | Q(created_at=root_at, pk__lt=root_pk))
        .count()
    )
    page = before // settings.FANFOLD_COMMENTS_PER_PAGE + 1
    if page > 1:
        query[PAGE_PARAM] = page
    return f"{path}{'?' + urlencode(query) if query else ''}#comment-{comment.pk}"


def muted_comment_counts(*, viewer, work_ids) -> dict[int, int]:
    """work id -> how many of its counted comments (Work.comment_count) were written by users
    the viewer muted, for these works: one query, none for guests."""
    if viewer is None or not viewer.is_authenticated or not work_ids:
        return {}
    rows = (
        Comment.objects.filter(counted_filter(), work_id__in=list(work_ids))
        .filter(user__in=muted_user_ids_subquery(viewer))
        .values("work_id")
        .annotate(muted=Count("pk"))
        .values_list("work_id", "muted")
    )
    return dict(rows)


def comment_thread(*, comment: Comment, viewer, is_creator: bool) -> CommentNode | None:
    """One comment with every reply under it that the viewer may see (the comment's page), or
    None when the viewer may not see the comment itself."""
    rows = list(
        _visible(
            Comment.objects.filter(thread_id=comment.thread_id),
            viewer=viewer,
            is_creator=is_creator,
        ).select_related("user")
    )
    if comment.pk not in {row.pk for row in rows}:
        return None
    trees = _tree(rows, lambda row: row.pk == comment.pk)
    if trees:
        return trees[0]
    # A deleted comment with no replies left to show.
    return None


def count_nodes(nodes: list[CommentNode]) -> int:
    """How many comments (not counting deleted placeholders) the threads show."""
    return sum((0 if node.comment.is_deleted else 1) + count_nodes(node.children) for node in nodes)


def news_comment_threads(*, post, viewer, may_manage: bool) -> list[CommentNode]:
    """The comment threads under a news post, oldest first, as this viewer may see them (the
    archive's admins and moderators see the comments waiting for approval)."""
    comments = Comment.objects.filter(news_post=post)
    rows = list(_visible(comments, viewer=viewer, is_creator=may_manage).select_related("user"))
    return _tree(rows, lambda comment: comment.parent_id is None)


def comment_get(*, comment_id: int) -> Comment | None:
    return (
        Comment.objects.select_related("user", "work", "chapter", "news_post")
        .filter(pk=comment_id)
        .first()
    )


def comments_held(*, viewer) -> QuerySet:
    """Guests' comments the spam heuristic held, still waiting, oldest first, for moderators:
    on works the moderator may see (posted or hidden: moderators see hidden works) and on news
    posts."""
    return (
        Comment.objects.filter(status=CommentStatus.PENDING)
        .exclude(held_reason="")
        .filter(Q(news_post__isnull=False) | Q(work__is_posted=True))
        .select_related("work", "news_post", "chapter")
        .order_by("created_at", "pk")
    )


def comments_waiting(*, work: Work) -> int:
    return Comment.objects.filter(work=work, status=CommentStatus.PENDING).count()


@dataclass
class CommentPermissionCheck:
    allowed: bool
    reason: str = ""  # why not, in words for the visitor
    as_guest: bool = False  # the form asks for a name and an e-mail address


def comment_permission_for(*, work: Work, user) -> CommentPermissionCheck:
    """Whether this visitor may leave a (top-level) comment on the work, and why not. The work
    must have its creators loaded (work_get_for_reading). Replies also depend on the comment
    replied to (frozen, its author's blocks): services.comment_create checks those."""
    from fanfold.blocking.selectors import any_has_blocked
    from fanfold.works.models import CommentPermission
    from fanfold.works.selectors import work_user_is_creator

    from . import services

    is_user = user is not None and user.is_authenticated
    if not work.is_posted:
        return CommentPermissionCheck(False, "Comments can be left on posted works only.")
    if work.is_hidden:
        return CommentPermissionCheck(False, HIDDEN)
    if work.comment_permission == CommentPermission.NOBODY:
        return CommentPermissionCheck(False, services.COMMENTS_OFF)
    if work.comment_permission == CommentPermission.REGISTERED and not is_user:
        return CommentPermissionCheck(False, services.GUESTS_OFF)
    if is_user and not work_user_is_creator(work=work, user=user):
        # One query whatever the number of creators (the work page must not grow with them).
        creator_ids = {c.pseud.user_id for c in work.approved_creatorships}
        if any_has_blocked(blocker_ids=creator_ids, user=user):
            return CommentPermissionCheck(False, services.BLOCKED_BY_CREATOR)
    return CommentPermissionCheck(True, as_guest=not is_user)


NEWS_COMMENTS_OFF = "Comments are closed on this post."
NEWS_GUESTS_OFF = "Only registered users can comment on this post. Please log in."


def news_comment_permission_for(*, post, user) -> CommentPermissionCheck:
    """Whether this visitor may comment on the (published) news post, and why not. Blocks
    between users matter for replies only (services check them): a news post has no
    creators to block anyone."""
    from fanfold.works.models import CommentPermission

    is_user = user is not None and user.is_authenticated
    if not post.is_published:
        return CommentPermissionCheck(False, "Comments can be left on published posts only.")
    if post.comment_permission == CommentPermission.NOBODY:
        return CommentPermissionCheck(False, NEWS_COMMENTS_OFF)
    if post.comment_permission == CommentPermission.REGISTERED and not is_user:
        return CommentPermissionCheck(False, NEWS_GUESTS_OFF)
    return CommentPermissionCheck(True, as_guest=not is_user)
