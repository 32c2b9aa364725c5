"""Tag pages. /tags/NAME/works lists every work findable by the tag (its synonyms' and sub
tags' works too), with the filter sidebar; wrangling screens are in the tags issue."""

from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, redirect, render

from fanfold.search.feeds import FEED_TAG_TYPES
from fanfold.search.listing import filtered_listing

from .models import Tag, tag_name_from_url, tag_name_to_url


def tag_works(request, tag_name):
    """/tags/NAME/works: posted works found by this tag; NAME uses AO3's escapes ("F*s*F").
    A synonym's page sends the reader to its canonical tag's, filters kept, as AO3 does."""
    # lower(name) = ..., which the unique index on lower(name) serves; name__iexact compares
    # upper() and read every tag (a third of a second at a million works).
    name = " ".join(tag_name_from_url(tag_name).split()).lower()
    tag = get_object_or_404(
        Tag.objects.select_related("merger").annotate(lower_name=Lower("name")), lower_name=name
    )
    if tag.merger is not None:
        target = tag.merger.get_absolute_url()
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target)
    listing = filtered_listing(request, viewer=request.user, tag=tag)
    return render(
        request,
        "tags/tag_works.html",
        {
            "tag": tag,
            "noun": "Work",
            "feed_url_name": tag_name_to_url(tag.name) if tag.type in FEED_TAG_TYPES else None,
            **listing.context(),
        },
    )
