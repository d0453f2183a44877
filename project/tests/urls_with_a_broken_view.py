"""The site's URLs plus one view with a bug, to see what a server error shows."""

from django.urls import path

from project.urls import urlpatterns as site_patterns


def broken(request):
    raise RuntimeError("secret detail of a bug nobody caught")


urlpatterns = [*site_patterns, path("broken/", broken)]
