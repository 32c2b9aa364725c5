from django.contrib import admin

from .models import (
    EfictionAuthor,
    EfictionFavorite,
    EfictionReview,
    EfictionSeries,
    EfictionStory,
)


@admin.register(EfictionAuthor)
class EfictionAuthorAdmin(admin.ModelAdmin):
    """Imported eFiction authors: whether their claim link went out. Their address is edited on
    the user (Accounts), before `fanfold import-efiction ... --send-claims`."""

    list_display = ("penname", "uid", "user", "claim_sent_at")
    search_fields = ("penname", "user__username", "user__email")
    readonly_fields = ("uid", "user", "penname", "claim_sent_at")


@admin.register(EfictionStory)
class EfictionStoryAdmin(admin.ModelAdmin):
    list_display = ("sid", "work")
    search_fields = ("work__title",)
    readonly_fields = ("sid", "work", "chapter_ids")


@admin.register(EfictionSeries)
class EfictionSeriesAdmin(admin.ModelAdmin):
    list_display = ("seriesid", "series")
    readonly_fields = ("seriesid", "series", "sids")


@admin.register(EfictionReview)
class EfictionReviewAdmin(admin.ModelAdmin):
    list_display = ("reviewid", "comment")
    readonly_fields = ("reviewid", "comment")


@admin.register(EfictionFavorite)
class EfictionFavoriteAdmin(admin.ModelAdmin):
    list_display = ("uid", "type", "item", "bookmark")
    readonly_fields = ("uid", "type", "item", "bookmark")
