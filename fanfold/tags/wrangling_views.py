"""The wrangling screens, for tag wranglers and admins: the home page of fandoms with unwrangled
tags, each fandom's queue with mass actions, a tag's edit page and its history. Guests are sent
to log in; everyone else gets 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from fanfold.core.pagination import paginate
from fanfold.core.permissions import wrangler_required

from . import selectors, wrangling
from .forms import QueueActionForm, QueueFilterForm, WrangleForm
from .models import FANDOM_CHILD_TYPES, MEDIA_TYPE, Tag, TagType

PLURAL = {
    TagType.FANDOM: "Fandoms",
    TagType.CHARACTER: "Characters",
    TagType.RELATIONSHIP: "Relationships",
    TagType.FREEFORM: "Additional Tags",
}


def _tag_or_404(tag_name: str) -> Tag:
    tag = selectors.tag_find(tag_name)
    if tag is None:
        raise Http404("There is no such tag.")
    return tag


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


@wrangler_required
def wrangling_home(request):
    """/tags/wrangling: fandoms with the number of unwrangled tags of each type."""
    types = [(t.value, PLURAL[t]) for t in FANDOM_CHILD_TYPES]
    queues = [
        (queue, [(value, label, queue.counts.get(value, 0)) for value, label in types])
        for queue in selectors.wrangling_fandoms(user=request.user)
    ]
    return render(
        request,
        "tags/wrangling_home.html",
        {
            "queues": queues,
            "unwrangled_fandoms": selectors.unwrangled_fandom_count(user=request.user),
            "types": types,
        },
    )


@wrangler_required
def wrangling_queue(request):
    """/tags/wrangling/queue?fandom=NAME&type=TYPE: the unwrangled tags of one type in one
    fandom (or, for type=fandom, the unwrangled fandoms), to tick and act on together."""
    filters = QueueFilterForm(request.GET)
    if not filters.is_valid():
        return render(
            request,
            "tags/wrangling_queue.html",
            {"filters": filters, "errors": [e for es in filters.errors.values() for e in es]},
            status=400,
        )
    fandom = filters.cleaned_data["fandom"]
    type_ = filters.cleaned_data["type"] or TagType.CHARACTER
    if type_ != TagType.FANDOM and fandom is None:
        filters.add_error("fandom", "Please name the fandom whose tags you want to wrangle.")
        return render(
            request,
            "tags/wrangling_queue.html",
            {"filters": filters, "errors": filters.errors["fandom"]},
            status=400,
        )
    if type_ == TagType.FANDOM:
        fandom = None
    action_form = QueueActionForm()
    errors: list[str] = []
    if request.method == "POST":
        action_form = QueueActionForm(request.POST)
        if action_form.is_valid():
            try:
                done = _queue_act(request.user, action_form.cleaned_data)
            except ValidationError as error:
                errors = _messages_of(error)
            else:
                messages.success(request, done)
                return redirect(request.get_full_path())
        else:
            errors = [e for es in action_form.errors.values() for e in es]
    tags = selectors.wrangling_queue(user=request.user, fandom=fandom, type=type_)
    return render(
        request,
        "tags/wrangling_queue.html",
        {
            "filters": filters,
            "fandom": fandom,
            "type_label": PLURAL[TagType(type_)],
            "type": type_,
            "page_obj": paginate(request, tags, per_page=50),
            "action_form": action_form,
            "errors": errors,
            "ticked": {str(pk) for pk in request.POST.getlist("tags")},
        },
        status=400 if errors else 200,
    )


def _queue_act(user, data) -> str:
    tags = list(data["tags"])
    target = data["target"]
    names = ", ".join(f"“{tag.name}”" for tag in tags)
    action = data["action"]
    if action == "canonical":
        wrangling.tags_make_canonical(user=user, tags=tags)
        return f"Made canonical: {names}."
    if action == "merge":
        wrangling.tags_merge(user=user, tags=tags, into=target)
        return f"Made synonyms of “{target.name}”: {names}."
    if action == "attach":
        wrangling.tags_attach_to_parent(user=user, tags=tags, parent=target)
        return f"Attached to “{target.name}”: {names}."
    wrangling.tags_set_unwrangleable(user=user, tags=tags, unwrangleable=True)
    return f"Marked unwrangleable: {names}."


def _act(user, tag: Tag, data) -> str:
    action, target = data["action"], data["target"]
    if action == "canonical":
        wrangling.tags_make_canonical(user=user, tags=[tag])
        return f"“{tag.name}” is now canonical."
    if action == "not_canonical":
        wrangling.tag_make_not_canonical(user=user, tag=tag)
        return f"“{tag.name}” is no longer canonical."
    if action == "merge":
        wrangling.tags_merge(user=user, tags=[tag], into=target)
        return f"“{tag.name}” is now a synonym of “{target.name}”."
    if action == "unmerge":
        wrangling.tag_unmerge(user=user, tag=tag)
        return f"“{tag.name}” is no longer a synonym."
    if action == "attach":
        wrangling.tags_attach_to_parent(user=user, tags=[tag], parent=target)
        return f"“{tag.name}” is now attached to “{target.name}”."
    if action == "detach":
        wrangling.tag_detach_from_parent(user=user, tag=tag, parent=target)
        return f"“{tag.name}” is no longer attached to “{target.name}”."
    if action == "meta_add":
        wrangling.tag_meta_add(user=user, tag=tag, meta=target)
        return f"“{target.name}” is now a meta tag of “{tag.name}”."
    if action == "meta_remove":
        wrangling.tag_meta_remove(user=user, tag=tag, meta=target)
        return f"“{target.name}” is no longer a meta tag of “{tag.name}”."
    if action in ("unwrangleable", "wrangleable"):
        marked = action == "unwrangleable"
        wrangling.tags_set_unwrangleable(user=user, tags=[tag], unwrangleable=marked)
        return f"“{tag.name}” is {'now' if marked else 'no longer'} marked unwrangleable."
    wrangling.tag_rename(user=user, tag=tag, name=data["name"])
    tag.refresh_from_db()
    return f"The tag is now called “{tag.name}”."


@wrangler_required
def tag_edit(request, tag_name):
    """/tags/NAME/edit: every wrangling action on one tag, one small form each."""
    tag = _tag_or_404(tag_name)
    errors: list[str] = []
    form = WrangleForm()
    if request.method == "POST":
        form = WrangleForm(request.POST)
        if form.is_valid():
            try:
                done = _act(request.user, tag, form.cleaned_data)
            except ValidationError as error:
                errors = _messages_of(error)
            else:
                messages.success(request, done)
                return redirect(tag.get_edit_url())
        else:
            errors = [e for es in form.errors.values() for e in es]
    family = selectors.tag_family(tag=tag, viewer=request.user)
    parent_type = (
        MEDIA_TYPE
        if tag.type == TagType.FANDOM
        else (TagType.FANDOM if tag.type in FANDOM_CHILD_TYPES else "")
    )
    return render(
        request,
        "tags/tag_edit.html",
        {
            "tag": tag,
            "family": family,
            "errors": errors,
            "form": form,
            "parent_type": parent_type,
            "media": selectors.media_tags() if tag.type == TagType.FANDOM else [],
            "changes": selectors.tag_changes(tag=tag)[:5],
        },
        status=400 if errors else 200,
    )


@wrangler_required
def tag_history(request, tag_name):
    """/tags/NAME/history: every wrangling change to the tag, newest first, and who made it."""
    tag = _tag_or_404(tag_name)
    return render(
        request,
        "tags/tag_history.html",
        {"tag": tag, "page_obj": paginate(request, selectors.tag_changes(tag=tag), per_page=50)},
    )
