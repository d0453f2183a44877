from django.contrib import admin
from django.urls import include, path

from apps.accounts import views as account_views
from apps.students.urls import course_patterns, student_patterns

from . import views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("apps.accounts.urls")),
    path("students/", include(student_patterns)),
    path("courses/", include(course_patterns)),
    path("admin/", admin.site.urls),
]
