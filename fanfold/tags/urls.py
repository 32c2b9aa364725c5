from django.urls import path

from . import browse_views, views, wrangling_views

urlpatterns = [
    # Before tags/<name>: "wrangling" is the wranglers' home, not a tag.
    path("tags/wrangling", wrangling_views.wrangling_home, name="wrangling_home"),
    path("tags/wrangling/queue", wrangling_views.wrangling_queue, name="wrangling_queue"),
    path("tags/<str:tag_name>", browse_views.tag_detail, name="tag_detail"),
    path("tags/<str:tag_name>/works", views.tag_works, name="tag_works"),
    path("tags/<str:tag_name>/edit", wrangling_views.tag_edit, name="tag_edit"),
    path("tags/<str:tag_name>/history", wrangling_views.tag_history, name="tag_history"),
    path("media", browse_views.media_index, name="media_index"),
    path("media/<str:media_name>/fandoms", browse_views.media_fandoms, name="media_fandoms"),
    path("autocomplete/tags", browse_views.tag_autocomplete, name="tag_autocomplete"),
]
