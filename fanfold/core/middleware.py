from django.conf import settings
from django.shortcuts import render

from .ratelimit import RateLimited, client_ip, rate_limit_check

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def rate_limited_response(request, limited: RateLimited):
    response = render(
        request,
        "core/429.html",
        {"retry_after": limited.retry_after, "scope": limited.scope},
        status=429,
    )
    response["Retry-After"] = str(limited.retry_after)
    return response


class RateLimitMiddleware:
    """Every write (POST, PUT, PATCH, DELETE) counts against the "write" limits per user and per
    address, so no form anywhere can be flooded, whatever its own limits; and RateLimited,
    raised by a view or service with a stricter limit of its own, becomes the 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Without "write" limits configured (a deployment or a test may leave them out) only the
        # features' own limits apply.
        if request.method not in WRITE_METHODS or "write" not in settings.FANFOLD_RATE_LIMITS:
            return None
        try:
            rate_limit_check(scope="write", user=request.user, ip=client_ip(request))
        except RateLimited as limited:
            return rate_limited_response(request, limited)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return rate_limited_response(request, exception)
        return None
