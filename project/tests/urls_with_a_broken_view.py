"""The site's URLs plus a page and an API path with a bug, to see what a server error shows."""

from django.urls import path

from project.urls import handler500  # noqa: F401 (the site's, as every URLconf names its own)
from project.urls import urlpatterns as site_patterns


def broken(request):
    raise RuntimeError("secret detail of a bug nobody caught")


# Before the API's own patterns, which answer every other path under /api/ with a JSON 404.
urlpatterns = [path("api/broken/", broken), *site_patterns, path("broken/", broken)]
