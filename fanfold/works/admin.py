"""Django's admin for works, which moderators use until moderation gets its own screens.

It lists, searches and shows works and may delete one, but never edits them: an edit here would
skip the services (HTML sanitizing, tag rules, the counts kept on Work), and stored HTML is shown
to readers as it is. Deleting needs nothing recomputed."""

from django.contrib import admin

from .models import Chapter, Creatorship, OrphanedWorkRecord, Tagging, Work


class CreatorshipInline(admin.TabularInline):
    model = Creatorship
    extra = 0
    raw_id_fields = ["pseud"]
    readonly_fields = ["pseud", "position", "approved", "invited_by"]
    can_delete = False


class TaggingInline(admin.TabularInline):
    model = Tagging
    extra = 0
    readonly_fields = ["tag", "position"]
    can_delete = False


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0
    fields = ("position", "title", "is_posted", "published_on", "word_count")
    readonly_fields = fields
    can_delete = False


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "creators",
        "is_posted",
        "is_restricted",
        "chapters_display",
        "word_count",
        "published_on",
        "revised_at",
    ]
    list_filter = ["is_posted", "is_restricted", "is_complete", "language"]
    search_fields = ["title", "pseuds__name", "pseuds__user__username"]
    readonly_fields = [
        "word_count",
        "chapter_count",
        "is_complete",
        "hit_count",
        "kudos_count",
        "comment_count",
        "bookmark_count",
        "published_on",
        "revised_at",
        "created_at",
        "updated_at",
    ]
    inlines = [CreatorshipInline, TaggingInline, ChapterInline]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("creatorships__pseud__user")

    @admin.display(description="Creators")
    def creators(self, work):
        return ", ".join(
            str(c.pseud) + ("" if c.approved else " (invited)") for c in work.creatorships.all()
        )

    @admin.display(description="Chapters")
    def chapters_display(self, work):
        return work.chapters_display


@admin.register(OrphanedWorkRecord)
class OrphanedWorkRecordAdmin(admin.ModelAdmin):
    list_display = ["work", "former_user", "former_pseud_name", "orphaned_at"]
    search_fields = ["work__title", "former_user__username", "former_pseud_name"]
    raw_id_fields = ["work", "former_user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
