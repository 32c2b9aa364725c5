"""Reads of comments: the threads a reader is shown under a work, a chapter or a news post, one
thread, and the comments held for moderation as spam."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from fanfold.blocking.selectors import muted_user_ids_subquery
from fanfold.works.models import Chapter, Work

from .models import Comment, CommentStatus

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


def _visible(comments, *, viewer, is_creator: bool):
    """Published comments, plus waiting ones for the work's creators and their own authors;
    users the viewer muted are removed along with the replies under their comments."""
    comments = comments.exclude(user__in=muted_user_ids_subquery(viewer))
    if not is_creator:
        mine = Q(user=viewer) if viewer is not None and viewer.is_authenticated else Q(pk__in=[])
        comments = comments.filter(Q(status=CommentStatus.PUBLISHED) | mine)
    return comments


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
