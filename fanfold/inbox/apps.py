from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "fanfold.inbox"
    label = "inbox"
    verbose_name = "Inbox"
