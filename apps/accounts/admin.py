from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.urls import reverse
from rest_framework.authtoken.models import TokenProxy

from . import services
from .forms import AdminPasswordChangeForm
from .models import User

# Roles are the app's own (roles.py sets each group's permissions on every migrate) and are
# given on the People page; an API token is a secret only its owner sees, on the profile.
admin.site.unregister([Group, TokenProxy])


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_superuser")
    list_filter = ("is_active", "is_superuser", "groups")
    # A password set here ends the account's API token, like every other password change.
    change_password_form = AdminPasswordChangeForm
    # Superuser status is the administrator role and the key to this admin (staff status
    # follows it). The other roles are given on the People page, which emails the account
    # and ends its token when the role goes: here they are only shown.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Permissions", {"fields": ("is_active", "is_superuser", "groups", "user_permissions")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("groups", "user_permissions", "last_login", "date_joined")
    # Email is required and unique: ask for it when adding a user, or the
    # second account saved without one would break the unique constraint.
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.pk == request.user.pk:
            return (*readonly, "is_superuser")  # nobody takes away their own administrator role
        return readonly

    def lookup_allowed(self, lookup, value, request=None):
        # No list is filtered by an API token: a key's first letters would give it away.
        return not lookup.startswith("auth_token") and super().lookup_allowed(lookup, value, request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:  # pragma: no cover - PostgreSQL only (SQLite's writers take turns first)
            # A colleague saved the same email or username after this form looked. Nothing was
            # written (the admin's view is one transaction); the form, asked again, sees the
            # colleague's account and shows its field error with what was typed.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        services.account_saved_in_admin(
            user=obj,
            actor=request.user,
            changed_fields=form.changed_data if change else None,
            login_url=request.build_absolute_uri(reverse("accounts:login")),
        )

    def delete_model(self, request, obj):
        services.account_deleted_in_admin(user=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.account_deleted_in_admin(user=user, actor=request.user)
