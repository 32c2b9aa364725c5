"""Name rules for accounts and pseuds, shared by the models (so Django's admin and
createsuperuser enforce them too) and the services (which add the rules that need the database)."""

import re

from django.core.exceptions import ValidationError

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 40
PSEUD_NAME_MAX_LENGTH = 40
PSEUD_DESCRIPTION_MAX_LENGTH = 500

# AO3's rules: ASCII letters, digits and underscores, starting with a letter or a digit.
_USERNAME_CHARACTERS = re.compile(r"[A-Za-z0-9_]+")
# Pseuds may use any letters (not only ASCII), digits, spaces, underscores and hyphens.
_PSEUD_CHARACTERS = re.compile(r"[\w -]+")

# Names that would mislead readers about who wrote a work. orphan_account itself is created by
# the archive (fanfold.accounts.services.orphan_account), never by sign-up.
RESERVED_USERNAMES = frozenset({"orphan_account", "anonymous", "deleted_user"})


def validate_username(value: str) -> None:
    if not USERNAME_MIN_LENGTH <= len(value) <= USERNAME_MAX_LENGTH:
        raise ValidationError(
            f"Username must be between {USERNAME_MIN_LENGTH} and {USERNAME_MAX_LENGTH} "
            "characters long.",
            code="username_length",
        )
    if not _USERNAME_CHARACTERS.fullmatch(value):
        raise ValidationError(
            "Username can contain only letters, numbers and underscores (no spaces or other "
            "punctuation).",
            code="username_characters",
        )
    if value.startswith("_"):
        raise ValidationError("Username must begin with a letter or number.", code="username_start")


def validate_pseud_name(value: str) -> None:
    if not value.strip():
        raise ValidationError("Please enter a name for the pseud.", code="pseud_blank")
    if len(value) > PSEUD_NAME_MAX_LENGTH:
        raise ValidationError(
            f"Pseud name must be at most {PSEUD_NAME_MAX_LENGTH} characters long.",
            code="pseud_length",
        )
    if not _PSEUD_CHARACTERS.fullmatch(value):
        raise ValidationError(
            "Pseud name can contain only letters, numbers, spaces, underscores and hyphens.",
            code="pseud_characters",
        )
    if not any(char.isalnum() for char in value):
        raise ValidationError(
            "Pseud name must contain at least one letter or number.", code="pseud_alnum"
        )
    if value.strip().lower() == "new":
        raise ValidationError("“new” can't be used as a pseud name.", code="pseud_reserved")
