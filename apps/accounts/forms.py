from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError

from apps.students.filters import MAX_SEARCH_WORDS, validate_search_words

from . import services
from .services import NAMES_REQUIRED
from .throttling import CurrentPasswordThrottleMixin, LockoutMessageMixin

TOO_LONG = "Use at most %(limit_value)d characters (this has %(show_value)d)."
BAD_EMAIL = "Enter an email address like name@school.example."
PASSWORD_MISMATCH = "The two passwords are not the same. Type the same password in both boxes."  # noqa: S105


class SiteWording:
    """The account pages speak the site's words, never Django's defaults
    ("This field is required."): each field's own message when it is left
    empty, and the same words for a text or email that does not fit."""

    required_messages = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages["required"] = self.required_messages[name]  # every field has its own
            field.error_messages["max_length"] = TOO_LONG
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = BAD_EMAIL


NEW_PASSWORD_MESSAGES = {
    "password1": "Choose a password.",
    "password2": "Type the password again.",
    "new_password1": "Choose a new password.",
    "new_password2": "Type the new password again.",
}


class SignUpForm(SiteWording, UserCreationForm):
    email = forms.EmailField(
        max_length=254,
        help_text="Used to reset your password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Type the same password again, to be sure of it.",
    )
    error_messages = {"password_mismatch": PASSWORD_MISMATCH}
    required_messages = {
        "username": "Choose a username.",
        "email": "Enter your email address.",
        **NAMES_REQUIRED,
        **NEW_PASSWORD_MESSAGES,
    }

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        # Names show the office who is asking for access (the People page).
        fields = ("username", "email", "first_name", "last_name")

    def clean_email(self):
        # The model's rule (its unique constraint on the email in lower case), told beside the field.
        email = self.cleaned_data["email"]
        try:
            get_user_model()(email=email).validate_constraints()
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return email


class LoginForm(SiteWording, LockoutMessageMixin, AuthenticationForm):
    username = forms.CharField(
        label="Username or email",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Please enter a correct username or email and password.",
    }
    required_messages = {"username": "Enter your username or email.", "password": "Enter your password."}


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


class PasswordChangeForm(
    PasswordServiceMixin, SiteWording, CurrentPasswordThrottleMixin, auth_forms.PasswordChangeForm
):
    set_by = "change"
    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": "That is not your current password. Type it again.",
    }
    required_messages = {"old_password": "Enter your current password.", **NEW_PASSWORD_MESSAGES}

    def __init__(self, *args, request=None, **kwargs):
        self.request = request  # (the view's: a form on its own never gets to check a password)
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = "Type the same new password again, to be sure of it."


class SetPasswordForm(PasswordServiceMixin, SiteWording, auth_forms.SetPasswordForm):
    """The new password a reset link lets its owner choose."""

    set_by = "reset"

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}
    required_messages = NEW_PASSWORD_MESSAGES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = "Type the same new password again, to be sure of it."


class PasswordResetForm(SiteWording, auth_forms.PasswordResetForm):
    required_messages = {"email": "Enter the email address of your account."}


class PeopleSearchForm(forms.Form):
    """The People page's search, held to the student search's rule on its length."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        validators=[validate_search_words],
        help_text=f"Username, email or name. Up to {MAX_SEARCH_WORDS} words.",
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": TOO_LONG},
    )


class AdminPasswordChangeForm(PasswordServiceMixin, auth_forms.AdminPasswordChangeForm):
    set_by = "admin"
