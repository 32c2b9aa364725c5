from django.urls import path

from . import views

urlpatterns = [
    path("works/import", views.import_start, name="import_start"),
    path("works/import/<int:pending_id>", views.import_preview, name="import_preview"),
    # Old links into an imported eFiction archive.
    path("viewstory.php", views.efiction_viewstory, name="efiction_viewstory"),
]
