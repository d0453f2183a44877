from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apps.accounts.roles import is_pending, role_of

AWAITING_APPROVAL = "accounts/awaiting_approval.html"


@login_not_required
@require_safe
def home(request):
    """The landing page; members go to the student list, pending accounts hear they wait."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    if is_pending(request.user):
        return render(request, AWAITING_APPROVAL)
    return redirect("students:list")


class AddressOfAForm:
    """For an address only a form posts to. Opened as a page (the reload of a refused
    form's answer, a shared link), it answers 405 with a page that leads to the form,
    not the browser's own blank error page. Set `form_page_name` and `form_page_url()`."""

    form_page_name = ""

    def http_method_not_allowed(self, request, *args, **kwargs):
        refusal = super().http_method_not_allowed(request, *args, **kwargs)
        if request.method != "GET":
            return refusal
        context = {"form_page_name": self.form_page_name, "form_page_url": self.form_page_url()}
        page = render(request, "405.html", context, status=405)
        page["Allow"] = refusal["Allow"]
        return page


def permission_denied(request, exception):
    """Every 403 page, worded for who sees it: an account without a role is told it
    waits for the office; a member hears why the view refused (when it says) or what
    the role allows."""
    if is_pending(request.user):
        return render(request, AWAITING_APPROVAL, status=403)
    # (Only signed-in users get here: LoginRequiredMiddleware sends visitors to log in first.)
    context = {"refusal": str(exception), "role": role_of(request.user)}
    return render(request, "403.html", context, status=403)


def bad_request(request, exception):
    """A request Django refused before any view (a Host this site does not serve, say):
    JSON under /api/ like every other API error, the site's 400 page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "The request could not be read."}, status=400)
    return defaults.bad_request(request, exception)  # renders without the request, whose Host may be the problem


def server_error(request):
    """A failure nobody foresaw (the database gone away, say): JSON under /api/ like every
    other API error, the site's plain 500 page elsewhere. The details go to the log only."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on the server. Try again in a moment."}, status=500)
    return defaults.server_error(request)


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """Liveness and database reachability, for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse(
            {"status": "error", "database": "unavailable", "reason": error.__class__.__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required
def csrf_failure(request, reason=""):
    """The friendly 403 for a form without a valid CSRF token, with the site's navigation."""
    return render(request, "403_csrf.html", status=403)


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static file."""
    return redirect(static("favicon.ico"))
