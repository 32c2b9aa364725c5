"""Tag pages. For now a tag's page is the list of works tagged with it (AO3's /tags/NAME/works);
wrangling (synonyms, meta tags) comes with the tags issue."""

from django.shortcuts import get_object_or_404, render

from fanfold.core.pagination import paginate
from fanfold.works import selectors

from .models import Tag, tag_name_from_url


def tag_works(request, tag_name):
    """/tags/NAME/works: posted works with this tag; NAME uses AO3's escapes ("F*s*F")."""
    tag = get_object_or_404(Tag, name__iexact=tag_name_from_url(tag_name))
    works = selectors.work_list_for_tag(tag=tag, viewer=request.user)
    return render(
        request,
        "tags/tag_works.html",
        {"tag": tag, "page_obj": paginate(request, works), "noun": "Work"},
    )
