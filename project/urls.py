from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.students.urls import course_patterns, student_patterns

from . import views

handler403 = "project.views.permission_denied"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/", include("apps.accounts.urls")),
    path("students/", include(student_patterns)),
    path("courses/", include(course_patterns)),
    # The schema and its docs are public; the endpoints they describe are not.
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        # The split view serves its start-up script as a file: no inline script under the CSP.
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html")),
        name="api-docs",
    ),
    path("api/", include("apps.students.api.urls")),
    path("admin/", admin.site.urls),
]
