from django.apps import AppConfig


class BlockingConfig(AppConfig):
    name = "fanfold.blocking"
    label = "blocking"
    verbose_name = "Blocking and muting"
