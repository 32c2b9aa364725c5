from django.shortcuts import render

from fanfold.works import selectors


def home(request):
    works = selectors.work_list_newest(user=request.user, limit=10)
    return render(request, "core/home.html", {"works": works})


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "core/403.html", status=403)
