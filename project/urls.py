from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

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
        login_not_required(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("api/", include("apps.students.api.urls")),
    path("admin/", admin.site.urls),
]
