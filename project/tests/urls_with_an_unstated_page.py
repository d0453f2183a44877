"""The project's URLs plus one page the access table has no row for (for test_access)."""

from django.http import HttpResponse
from django.urls import path

from project.urls import urlpatterns as project_urlpatterns


def report(request, year):
    return HttpResponse(f"Every student's record for {year}")


urlpatterns = [*project_urlpatterns, path("reports/<int:year>/", report, name="report")]
