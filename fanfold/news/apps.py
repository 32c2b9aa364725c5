from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "fanfold.news"
    label = "news"
    verbose_name = "Site news and banners"
