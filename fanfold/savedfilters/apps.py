from django.apps import AppConfig


class SavedFiltersConfig(AppConfig):
    name = "fanfold.savedfilters"
    label = "savedfilters"
    verbose_name = "Saved filters"
