from django import template

from fanfold.savedfilters.forms import SavedFilterForm

register = template.Library()


@register.inclusion_tag("savedfilters/includes/save_form.html", takes_context=True)
def save_filter_form(context):
    """The "save these filters" form under a listing's sidebar (logged-in readers only)."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    form = SavedFilterForm(initial={"path": request.path, "query": query.urlencode()})
    return {"form": form, "user": request.user, "csrf_token": context.get("csrf_token")}
