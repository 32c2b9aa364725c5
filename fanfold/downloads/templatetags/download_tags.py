"""The work page's Download menu: `{% load download_tags %}{% work_download_menu work %}`."""

from django import template
from django.urls import reverse
from django.utils.text import slugify

from ..formats import LABELS, NEEDS_CALIBRE, Format, calibre_available
from ..selectors import work_is_downloadable

register = template.Library()


def download_url(work, fmt: Format) -> str:
    name = slugify(work.title) or "work"
    return reverse("work_download", args=[work.pk, name, fmt.value])


@register.inclusion_tag("downloads/includes/download_menu.html")
def work_download_menu(work):
    if not work_is_downloadable(work):
        return {"formats": []}
    has_calibre = calibre_available()
    formats = [
        {
            "label": LABELS[fmt],
            "url": download_url(work, fmt),
            "available": has_calibre or fmt not in NEEDS_CALIBRE,
        }
        for fmt in Format
    ]
    return {"formats": formats}
