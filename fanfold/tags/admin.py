"""Django's admin for tags: find a tag and see its type and how many works use it. It changes
nothing: names are checked by fanfold.tags.services, and wrangling (synonyms, canonical tags)
gets its own screens with the tags issue."""

from django.contrib import admin
from django.db.models import Count

from .models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "work_count", "created_at"]
    list_filter = ["type"]
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
