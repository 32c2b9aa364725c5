from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "fanfold.stats"
    label = "stats"
