"""Work URLs follow AO3's, so readers' habits and old links carry over."""

from django.urls import path

from .views import creatorships, listing, posting, reading

urlpatterns = [
    # Reading
    path("works", listing.work_index, name="work_index"),
    path("works/<int:work_id>", reading.work_detail, name="work_detail"),
    path("works/<int:work_id>/navigate", reading.work_navigate, name="work_navigate"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>",
        reading.chapter_detail,
        name="chapter_detail",
    ),
    # Posting and editing
    path("works/new", posting.work_new, name="work_new"),
    path("works/<int:work_id>/edit", posting.work_edit, name="work_edit"),
    path("works/<int:work_id>/preview", posting.work_preview, name="work_preview"),
    path("works/<int:work_id>/post", posting.work_post, name="work_post"),
    path("works/<int:work_id>/delete", posting.work_delete, name="work_delete"),
    path("works/<int:work_id>/orphan", posting.work_orphan, name="work_orphan"),
    path("works/<int:work_id>/chapters/new", posting.chapter_new, name="chapter_new"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit",
        posting.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/delete",
        posting.chapter_delete,
        name="chapter_delete",
    ),
    path("works/<int:work_id>/chapters/manage", posting.chapters_manage, name="chapters_manage"),
    # Listings under a user
    path("users/<str:username>/works", listing.user_works, name="user_works"),
    path("users/<str:username>/works/drafts", listing.user_drafts, name="user_drafts"),
    path(
        "users/<str:username>/creatorships",
        creatorships.user_creatorships,
        name="user_creatorships",
    ),
    path(
        "users/<str:username>/pseuds/<str:pseud_name>/works",
        listing.pseud_works,
        name="pseud_works",
    ),
]
