from django.conf import settings
from django.http import JsonResponse
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


class ApiBodyLimitMiddleware:
    """A JSON 413 for an API request whose body is over the size limit.

    DRF reads request bodies itself, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    check; this applies the same limit to every path under /api/ (unknown ones
    included) before anything reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.path_info.startswith("/api/") and content_length(request) > limit:
            return JsonResponse({"detail": f"The request body is larger than the limit of {limit} bytes."}, status=413)
        return self.get_response(request)


def content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
