"""The REST API under /api/ (namespace `api:`): each app's endpoints, then a JSON 404 for the rest."""

from django.urls import include, path, re_path

from apps.accounts.api import TokenView

from .views import unknown_endpoint

app_name = "api"

urlpatterns = [
    path("token/", TokenView.as_view(), name="token"),
    path("", include("apps.students.api.urls")),
    # Last: what no route above matched. Only paths ending in "/", so that
    # `/api/students` is still redirected to `/api/students/`.
    re_path(r"^(?P<path>(?s:.*))/$", unknown_endpoint, name="unknown"),
]
