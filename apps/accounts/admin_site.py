"""The Django admin's own rules: who may enter it, and how long a list's search may be."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from apps.students.filters import validate_search_words

from .forms import AdminLoginForm


class OfficeAdminSite(admin.AdminSite):
    """The admin at /admin/: for superusers only, behind the login throttle every door has."""

    login_form = AdminLoginForm

    def has_permission(self, request):
        # Staff status alone opens nothing: an account's powers are its role.
        return request.user.is_active and request.user.is_superuser

    def password_change(self, request, extra_context=None):
        # One form changes one's own password, the site's: it also ends the API token.
        return redirect("accounts:password_change")

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every list, the installed apps' too (axes' lockouts), searches as briefly as the site.
        admin_class = type(
            (admin_class or admin.ModelAdmin).__name__, (ShortSearch, admin_class or admin.ModelAdmin), {}
        )
        super().register(model_or_iterable, admin_class, **options)


class ShortSearch:
    """A list whose search holds at most as many words as the site's searches (a longer
    one is refused, not run: every word is one more condition on every row)."""

    def get_search_results(self, request, queryset, search_term):
        try:
            validate_search_words(search_term)
        except ValidationError as refusal:
            self.message_user(request, refusal.messages[0], messages.ERROR)
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)
