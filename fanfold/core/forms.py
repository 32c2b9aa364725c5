"""What every app's forms share: showing a service's ValidationError on the form it came from.
Services say what is wrong (a dict keyed by field name where a field is at fault); views show it
where the person will look for it."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.Form, error: ValidationError, rename: dict | None = None):
    """Show a service's ValidationError on the form: under the field it names when the form has
    that field (`rename` maps a service's field name to the form's), otherwise at the top of
    the form."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = rename.get(field, field)
        form.add_error(
            field if field in form.fields and field != NON_FIELD_ERRORS else None, errors
        )
