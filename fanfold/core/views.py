from django.shortcuts import render

from fanfold.core.models import ArchiveConfig
from fanfold.works import selectors


def home(request):
    works = selectors.work_list_newest(user=request.user, limit=10)
    return render(request, "core/home.html", {"works": works})


def terms_of_service(request):
    """The archive's Terms of Service, as its admins wrote them (plain text, shown escaped)."""
    return render(request, "core/terms_of_service.html", {"config": ArchiveConfig.load()})


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def permission_denied(request, exception=None):
    # Services raise PermissionDenied with a sentence meant for the user ("Your account is
    # suspended until ..."); show it rather than a generic refusal.
    reason = str(exception) if exception is not None and str(exception) else ""
    return render(request, "core/403.html", {"reason": reason}, status=403)
