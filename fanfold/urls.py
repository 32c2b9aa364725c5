from django.contrib import admin
from django.urls import include, path

from fanfold.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("tos", core_views.terms_of_service, name="terms_of_service"),
    path("admin/", admin.site.urls),
    path("", include("fanfold.accounts.urls")),
    path("", include("fanfold.works.urls")),
    path("", include("fanfold.tags.urls")),
    path("", include("fanfold.moderation.urls")),
    path("", include("fanfold.originality.urls")),
    path("", include("fanfold.series.urls")),
    path("", include("fanfold.bookmarks.urls")),
    path("", include("fanfold.subscriptions.urls")),
    path("", include("fanfold.readings.urls")),
    path("", include("fanfold.stats.urls")),
    path("", include("fanfold.inbox.urls")),
    path("", include("fanfold.comments.urls")),
    path("", include("fanfold.kudos.urls")),
    path("", include("fanfold.blocking.urls")),
    path("", include("fanfold.downloads.urls")),
    path("", include("fanfold.search.urls")),
    path("", include("fanfold.savedfilters.urls")),
    path("", include("fanfold.imports.urls")),
    path("", include("fanfold.news.urls")),
]

handler404 = "fanfold.core.views.page_not_found"
handler403 = "fanfold.core.views.permission_denied"
