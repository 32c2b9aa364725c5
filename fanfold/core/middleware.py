from django.shortcuts import render

from .ratelimit import RateLimited


class RateLimitMiddleware:
    """Turns RateLimited, raised anywhere in a view, into the 429 page with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        response = render(
            request,
            "core/429.html",
            {"retry_after": exception.retry_after, "scope": exception.scope},
            status=429,
        )
        response["Retry-After"] = str(exception.retry_after)
        return response
