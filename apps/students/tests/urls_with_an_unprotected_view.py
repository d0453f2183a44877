"""The project's URLs plus one view somebody forgot to protect (for test_url_protection)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from project.urls import urlpatterns as project_urlpatterns


@login_not_required
def report(request, year):
    return HttpResponse(f"Every student's record for {year}")


urlpatterns = [*project_urlpatterns, path("reports/<int:year>/", report, name="report")]
