from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .forms import AdminLoginForm, AdminPasswordChangeForm
from .models import User

admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    # A password set here ends the account's API token, like every other password change.
    change_password_form = AdminPasswordChangeForm
    # Roles are given on the People page, which emails the account and ends its token
    # when the role goes: here they are only shown.
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
