from django.urls import path

from . import feeds, views

urlpatterns = [
    path("search", views.search, name="search"),
    path("tags/<str:tag_name>/feed.atom", feeds.TagWorksFeed(), name="tag_feed"),
]
