from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from . import services
from .throttling import LockoutMessageMixin


class SignUpForm(UserCreationForm):
    email = forms.EmailField(max_length=254, help_text="Used to reset your password.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"]
        if get_user_model()._default_manager.filter(email__iexact=email).exists():
            raise forms.ValidationError("A user with that email address already exists.")
        return email


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    username = forms.CharField(
        label="Username or email",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Please enter a correct username or email and password.",
    }


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The admin's login form, throttled like the site's."""


class PasswordServiceMixin:
    """For Django's password forms: the new password is set by the service, which
    also ends the account's API token and logs it, in one transaction."""

    set_by = ""  # `change`, `reset` or `admin` (see services.PASSWORD_EVENTS)

    def set_password_and_save(self, user, password_field_name="password1", commit=True):  # noqa: S107 (a field name)
        usable = self.cleaned_data.get("set_usable_password", True)  # the admin may switch passwords off
        password = self.cleaned_data[password_field_name] if usable else None
        return services.password_set(user=user, password=password, event=self.set_by)


class PasswordChangeForm(PasswordServiceMixin, auth_forms.PasswordChangeForm):
    set_by = "change"


class PasswordResetSetForm(PasswordServiceMixin, auth_forms.SetPasswordForm):
    set_by = "reset"


class AdminPasswordChangeForm(PasswordServiceMixin, auth_forms.AdminPasswordChangeForm):
    set_by = "admin"
