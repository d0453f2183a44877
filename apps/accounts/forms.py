from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

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
