"""Bookmarks in Django's admin, read-only: a change here would bypass the services that keep
Work.bookmark_count equal to the public bookmarks."""

from django.contrib import admin

from .models import Bookmark


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "work", "series", "is_private", "is_rec", "created_at"]
    list_filter = ["is_private", "is_rec"]
    search_fields = ["user__username", "work__title", "series__title"]
    list_select_related = ["user", "work", "series"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
