"""Pages readers use to find their way by tags: a tag's page (/tags/NAME), the fandom index by
media (/media, /media/NAME/fandoms), and the tag autocomplete of the posting form."""

from django.http import Http404, JsonResponse
from django.shortcuts import render

from fanfold.core.ratelimit import rate_limited

from . import selectors
from .forms import AutocompleteForm
from .models import MEDIA_TYPE


def tag_detail(request, tag_name):
    """/tags/NAME: the tag's type and wrangling: canonical or a synonym (linking to its
    canonical tag), its synonyms, fandoms, children, meta and sub tags."""
    tag = selectors.tag_find(tag_name)
    if tag is None:
        raise Http404("There is no such tag.")
    return render(
        request,
        "tags/tag_detail.html",
        {
            "tag": tag,
            "family": selectors.tag_family(tag=tag, viewer=request.user),
            "works_count": tag.works_count_for(request.user),
            "counted": not tag.is_fixed,
        },
    )


def media_index(request):
    """/media: AO3's media categories, each with its number of fandoms and its biggest ones."""
    return render(
        request, "tags/media_index.html", {"summaries": selectors.media_index(viewer=request.user)}
    )


def media_fandoms(request, media_name):
    """/media/NAME/fandoms: the fandoms in one media category, alphabetically, with counts."""
    media = selectors.tag_find(media_name)
    if media is None or media.type != MEDIA_TYPE:
        raise Http404("There is no such media category.")
    fandoms = list(selectors.fandoms_in_media(media=media, viewer=request.user))
    for fandom in fandoms:
        fandom.count = fandom.works_count_for(request.user)
    letters: dict[str, list] = {}
    for fandom in fandoms:
        initial = fandom.name[:1].upper()
        letters.setdefault(initial if initial.isalpha() else "#", []).append(fandom)
    return render(
        request,
        "tags/media_fandoms.html",
        {"media": media, "letters": sorted(letters.items()), "fandom_count": len(fandoms)},
    )


@rate_limited("tag_autocomplete", methods=("GET",))
def tag_autocomplete(request):
    """/autocomplete/tags?type=TYPE&term=TEXT: up to a few tag names starting with TEXT,
    canonical tags first, as JSON: {"tags": [{"name": ..., "canonical": true}, ...]}."""
    form = AutocompleteForm(request.GET)
    if not form.is_valid():
        errors = {name: list(errs) for name, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    tags = selectors.tag_suggestions(
        term=form.cleaned_data["term"], type=form.cleaned_data["type"] or None, viewer=request.user
    )
    return JsonResponse(
        {"tags": [{"name": tag.name, "canonical": tag.canonical} for tag in tags]},
        headers={"Cache-Control": "private, max-age=60"},
    )
