"""Django's admin for tags: find a tag and see its type, wrangling and how many works use it,
and read the wrangling log. It changes nothing: names are checked by fanfold.tags.services and
wrangling has its own screens (/tags/wrangling, /tags/NAME/edit) that keep filters current."""

from django.contrib import admin
from django.db.models import Count

from .models import Tag, WranglingChange


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "canonical", "merger", "work_count", "created_at"]
    list_filter = ["type", "canonical", "unwrangleable"]
    list_select_related = ["merger"]
    search_fields = ["name"]
    readonly_fields = ["created_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(work_count=Count("taggings"))

    @admin.display(description="Works", ordering="work_count")
    def work_count(self, tag):
        return tag.work_count


@admin.register(WranglingChange)
class WranglingChangeAdmin(admin.ModelAdmin):
    """The wrangling log, read-only: who changed which tag, how and when."""

    list_display = ["created_at", "tag", "action", "detail", "user"]
    list_filter = ["action"]
    search_fields = ["tag__name", "user__username"]
    list_select_related = ["tag", "user"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
