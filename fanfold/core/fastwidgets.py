"""Form widgets that render their HTML in Python instead of through templates.

Django renders every widget, and every <option> of a select, through the template engine. The
filter sidebar is on every listing page with ten widgets (one a select of 60 languages), which
made it a sixth of a listing page's time. These render the same HTML as Django's default widget
templates (input: type, name, value, attributes; select: name, attributes, options with
`selected`; textarea: name, attributes, content) with format_html, which escapes every value.
The comment form, on every work page, uses them too."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict) -> SafeString:
    """Attributes as Django's widget templates write them: in the given order (flatatt would
    sort them), False left out, True as a bare name."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class FastInputMixin:
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # Django's order: type, name, value, then the other attributes.
        final = {"type": self.input_type, "name": name}  # type: ignore[attr-defined]
        shown = self.format_value(value)  # type: ignore[attr-defined]
        if shown is not None:
            final["value"] = str(shown)
        final.update(self.build_attrs(self.attrs, attrs))  # type: ignore[attr-defined]
        return format_html("<input{}>", _attributes(final))


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}  # type: ignore[attr-defined]
        selected = set(self.format_value(value))  # type: ignore[attr-defined]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(key), mark_safe(" selected") if str(key) in selected else "", label)
                for key, label in self.choices  # type: ignore[attr-defined]
            ),
        )
        return format_html("<select{}>{}</select>", _attributes(final), options)


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


class FastDateInput(FastInputMixin, forms.DateInput):
    pass


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastEmailInput(FastInputMixin, forms.EmailInput):
    pass


class FastHiddenInput(FastInputMixin, forms.HiddenInput):
    pass


class FastTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        shown = self.format_value(value)
        # Django's template starts the content on a new line, which HTML drops.
        return format_html("<textarea{}>\n{}</textarea>", _attributes(final), shown or "")
