from django.urls import path

from . import views

urlpatterns = [
    path("admin_posts", views.news_index, name="news_index"),
    path("admin_posts/new", views.news_new, name="news_new"),
    path("admin_posts/feed.atom", views.news_feed, name="news_feed"),
    path("admin_posts/<int:post_id>", views.news_detail, name="news_detail"),
    path("admin_posts/<int:post_id>/edit", views.news_edit, name="news_edit"),
    path("admin_posts/<int:post_id>/delete", views.news_delete, name="news_delete"),
    path("admin_banners", views.banner_index, name="banner_index"),
    path("admin_banners/<int:banner_id>/edit", views.banner_edit, name="banner_edit"),
    path("admin_banners/<int:banner_id>/delete", views.banner_delete, name="banner_delete"),
    path("banners/<int:banner_id>/dismiss", views.banner_dismiss, name="banner_dismiss"),
]
