from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .converters import RecordIdConverter

# Before any app's URLs are read: they use <id:pk>.
register_converter(RecordIdConverter, "id")

handler400 = "project.views.bad_request"
handler403 = "project.views.permission_denied"
handler500 = "project.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("apps.accounts.urls")),
    path("", include("apps.students.urls")),
    # The schema and its docs are public; the endpoints they describe are not.
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves its start-up script as a file: no inline script under the CSP.
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html")),
        name="api-docs",
    ),
    path("api/", include("project.api.urls")),
    path("admin/", admin.site.urls),
]
