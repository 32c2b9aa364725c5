from django.apps import AppConfig


class OriginalityConfig(AppConfig):
    name = "fanfold.originality"
    verbose_name = "Originality"
    default_auto_field = "django.db.models.BigAutoField"
