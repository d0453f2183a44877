from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every page and API answer.

    Record pages, the export, the profile and the API show personal data that
    no browser or proxy may keep; the few public pages lose nothing by it.
    Static files are served (and cached for long) by WhiteNoise above this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


class RequestBodyMiddleware:
    """A body the server cannot read, or may not, is refused before anything reads it.

    - Without a `Content-Length` (`Transfer-Encoding: chunked`) Django reads no
      body at all: a write would silently lose it. The API answers 411 JSON,
      a form page 400.
    - Over DATA_UPLOAD_MAX_MEMORY_SIZE: a JSON 413 on every path under /api/
      (DRF reads bodies itself, past Django's own check of that limit).
    - Shorter than its `Content-Length`: the client stopped sending (a dropped
      connection) and the server hands on what came, which would be saved as if
      it were all: a JSON 400, a form page 400.
    """

    WRITES = ("POST", "PUT", "PATCH", "DELETE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path_info.startswith("/api/")
        if request.method in self.WRITES and unreadable_body(request):
            if is_api:
                return JsonResponse(
                    {"detail": "Send the body with a Content-Length header: a chunked body cannot be read here."},
                    status=411,
                )
            return render(request, "400.html", status=400)
        limit, length = settings.DATA_UPLOAD_MAX_MEMORY_SIZE, content_length(request)
        if is_api and length > limit:
            return JsonResponse({"detail": f"The request body is larger than the limit of {limit} bytes."}, status=413)
        if request.method in self.WRITES and 0 < length <= limit and len(request.body) < length:
            if is_api:
                return JsonResponse(
                    {"detail": "The request body ended before its Content-Length: send it again whole."}, status=400
                )
            return render(request, "400.html", status=400)
        return self.get_response(request)


def unreadable_body(request):
    """A chunked body with no length: what the server hands Django of it is empty."""
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked and not request.META.get("CONTENT_LENGTH")


def content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
