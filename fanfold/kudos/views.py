from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fanfold.core.ratelimit import client_ip, rate_limited
from fanfold.works.selectors import work_get_for_reading

from .services import kudos_give


@require_POST
@rate_limited("kudos")
def kudos_create(request, work_id: int):
    """POST /works/ID/kudos: leave kudos, then back to the page it was left from."""
    work = work_get_for_reading(work_id=work_id, user=request.user)
    if work is None:
        raise Http404("No such work.")
    if work.is_restricted and not request.user.is_authenticated:
        return redirect_to_login(work.get_absolute_url())
    try:
        kudos_give(work=work, user=request.user, ip=client_ip(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise Http404("No such work.") from None
    else:
        messages.success(request, "Thank you for leaving kudos!")
    back = request.POST.get("next", "")
    if not (back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
        back = work.get_absolute_url()
    return HttpResponseRedirect(f"{back.split('#')[0]}#kudos")
