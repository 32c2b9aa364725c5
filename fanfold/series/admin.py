"""Series in Django's admin, read-only: changes go through the series' own pages, whose
services sanitize the summary and notes."""

from django.contrib import admin

from .models import Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "is_complete", "updated_at"]
    search_fields = ["title", "owner__username"]
    list_select_related = ["owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
