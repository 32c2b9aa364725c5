from django.urls import path

from . import views

urlpatterns = [
    path("tags/<str:tag_name>/works", views.tag_works, name="tag_works"),
]
