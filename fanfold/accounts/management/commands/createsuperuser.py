"""`fanfold createsuperuser`: Django's command (prompts, --noinput, DJANGO_SUPERUSER_*
variables, password checks), but the account is made by the accounts service, so the first
admin gets a default pseud like every other account."""

from django.contrib.auth.management.commands import createsuperuser

from fanfold.accounts.services import superuser_create


class _ServiceManager:
    """Stands in for User._default_manager: creating a superuser goes to the service; every
    other lookup (the "already taken" check) goes to the real manager."""

    def __init__(self, manager):
        self._manager = manager

    def db_manager(self, using=None, hints=None):
        return _ServiceManager(self._manager.db_manager(using, hints))

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        return superuser_create(
            username=username,
            email=email or "",
            password=password,
            # Django's command has already checked the password, or the admin chose to keep
            # a weak one ("Bypass password validation and create user anyway?").
            validate_new_password=False,
        )

    def __getattr__(self, name):
        return getattr(self._manager, name)


class _UserModel:
    """The user model as Django's command sees it, with the manager above."""

    def __init__(self, model):
        self._model = model
        self._default_manager = _ServiceManager(model._default_manager)

    def __call__(self, *args, **kwargs):
        # Django builds an unsaved user to check the password against the other fields.
        return self._model(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._model, name)


class Command(createsuperuser.Command):
    help = "Create an archive admin (a superuser) with a default pseud."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.UserModel = _UserModel(self.UserModel)
