"""Django's admin for works, which moderators use until moderation gets its own screens.
Inlines are read-only so nothing changes behind the services' back: counts and tags stay as the
services keep them (deleting a work here is the one write, and it needs nothing recomputed)."""

from django.contrib import admin

from .models import Chapter, Creatorship, OrphanedWorkRecord, Tagging, Work


class CreatorshipInline(admin.TabularInline):
    model = Creatorship
    extra = 0
    raw_id_fields = ["pseud"]
    readonly_fields = ["pseud", "position"]
    can_delete = False


class TaggingInline(admin.TabularInline):
    model = Tagging
    extra = 0
    readonly_fields = ["tag", "position"]
    can_delete = False


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0
    fields = ["position", "title", "is_posted", "published_on", "word_count"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


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

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("creatorships__pseud__user")

    @admin.display(description="Creators")
    def creators(self, work):
        return ", ".join(str(c.pseud) for c in work.creatorships.all())

    @admin.display(description="Chapters")
    def chapters_display(self, work):
        return work.chapters_display


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "work", "is_posted", "published_on", "word_count"]
    search_fields = ["title", "work__title"]
    raw_id_fields = ["work"]
    readonly_fields = ["work", "position", "word_count", "content", "created_at", "updated_at"]


@admin.register(OrphanedWorkRecord)
class OrphanedWorkRecordAdmin(admin.ModelAdmin):
    list_display = ["work", "former_user", "former_pseud_name", "orphaned_at"]
    search_fields = ["work__title", "former_user__username", "former_pseud_name"]
    raw_id_fields = ["work", "former_user"]
