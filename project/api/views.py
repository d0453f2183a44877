from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


class ApiView:
    """Every API view answers 401/403 itself, so the site's login redirect stays out."""

    # as_view() copies this mark from dispatch onto the view function, where
    # LoginRequiredMiddleware looks for it.
    @login_not_required
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


@csrf_exempt
@login_not_required
def unknown_endpoint(request, path):
    """Any other path under /api/ (`/api/students/abc/`): a JSON 404, not the site's page."""
    return JsonResponse({"detail": "Not found."}, status=404)
