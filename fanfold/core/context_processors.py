from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import ArchiveConfig


def site(request):
    # Lazy, so a response that never renders the layout (a redirect, a download) costs no query.
    return {
        "SITE_NAME": settings.SITE_NAME,
        "archive_config": SimpleLazyObject(ArchiveConfig.load_cached),
    }
