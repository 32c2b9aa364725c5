"""Series in Django's admin, to look up (changes go through the series' own pages)."""

from django.contrib import admin

from .models import Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "is_complete", "updated_at"]
    search_fields = ["title", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = ["owner", "created_at", "updated_at"]
