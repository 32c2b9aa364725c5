from django.urls import re_path

from . import views

urlpatterns = [
    # AO3's form: /downloads/ID/Title.epub. The name only makes the address readable.
    re_path(
        r"^downloads/(?P<work_id>[0-9]+)/(?P<name>[^/]*)\.(?P<fmt>[a-z0-9]+)$",
        views.work_download,
        name="work_download",
    ),
]
