from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "fanfold.downloads"
    label = "downloads"
