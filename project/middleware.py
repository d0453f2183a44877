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
