from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_http_methods
from django.views.generic import CreateView, ListView, TemplateView
from rest_framework.authtoken.models import Token

from project.views import AddressOfAForm

from . import selectors, services
from .forms import LoginForm, PasswordChangeForm, PasswordResetForm, PeopleSearchForm, SetPasswordForm, SignUpForm
from .roles import ROLE_LABELS, is_pending

# A new password ends the API token (whoever learnt the old password may hold it).
TOKEN_ENDED = "Any API token of your account was ended: create a new one on your profile page if a program needs it."  # noqa: S105


@method_decorator(login_not_required, name="dispatch")
class SignUpView(CreateView):
    form_class = SignUpForm
    template_name = "accounts/signup.html"
    # Logged in but without a role: home tells the new account it waits for approval.
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        try:
            user = services.user_sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as refusal:  # what only the write saw: a simultaneous sign-up took the name or email
            form.add_error(None, refusal)
            return self.form_invalid(form)
        login(self.request, user, backend="apps.accounts.backends.UsernameOrEmailBackend")
        messages.success(self.request, f"Welcome to Student Records, {user.get_username()}!")
        return redirect(self.success_url)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "accounts/login.html"

    def get_default_redirect_url(self):
        """Members go to the student list; an account waiting for approval to the home page."""
        return reverse("home") if is_pending(self.request.user) else super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    def http_method_not_allowed(self, request, *args, **kwargs):
        """A link to log out (GET) is refused, as any method but POST: the page offers the button."""
        refusal = super().http_method_not_allowed(request, *args, **kwargs)
        if request.method != "GET":
            return refusal
        page = render(request, "accounts/logout.html", status=405)
        page["Allow"] = refusal["Allow"]
        return page

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have been logged out.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}  # its guesses count as logins'

    def form_valid(self, form):
        # Django's view also ends the user's other sessions (update_session_auth_hash).
        response = super().form_valid(form)
        messages.success(self.request, f"Your password was changed. {TOKEN_ENDED}")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        matching = sum(1 for _ in form.get_users(email))
        if not services.password_reset_requested(email=email, matching_accounts=matching):
            return redirect(self.get_success_url())  # the same "check your inbox", without a mail
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"token_ended": TOKEN_ENDED}


class ProfileView(TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        # Looking never creates one (a GET changes nothing): the button below does.
        token = Token.objects.filter(user=self.request.user).first()
        return super().get_context_data(token=token, **kwargs)


@require_http_methods(["GET", "HEAD", "POST"])
def regenerate_token(request):
    """GET asks for confirmation (the old token stops working), POST regenerates."""
    if request.method != "POST":
        return render(request, "accounts/regenerate_token.html")
    _, replaced = services.token_regenerate(user=request.user)
    if replaced:
        messages.success(request, "Your API token was regenerated. The old one no longer works.")
    else:
        messages.success(request, "Your API token was created. Send it in an Authorization: Token header.")
    return redirect("accounts:profile")


# What the 403 page tells anyone else who opens the People page (or sends its form).
PEOPLE_ARE_FOR_ADMINISTRATORS = (
    "Only administrators can open the People page, where accounts get their roles. "
    "Ask an administrator if an account needs a different role."
)


class PeopleView(PermissionRequiredMixin, ListView):
    """Every account with its role, the ones waiting for approval first and counted."""

    permission_required = "accounts.view_user"
    permission_denied_message = PEOPLE_ARE_FOR_ADMINISTRATORS
    raise_exception = True
    template_name = "accounts/people.html"
    context_object_name = "people"

    def get_queryset(self):
        self.search = PeopleSearchForm(self.request.GET)
        if not self.search.is_valid():  # a search that cannot run finds nobody, rather than everybody
            return get_user_model().objects.none()
        return selectors.people(self.search.cleaned_data["q"])

    def get_context_data(self, **kwargs):
        kwargs.update(
            search=self.search,
            q=self.search.data.get("q", ""),
            waiting=selectors.waiting_for_approval(),
            roles=ROLE_LABELS.items(),
        )
        return super().get_context_data(**kwargs)


class SetRoleView(PermissionRequiredMixin, AddressOfAForm, View):
    """POST only: a Save button of the People page sets that account's role."""

    permission_required = "accounts.change_user"
    permission_denied_message = PEOPLE_ARE_FOR_ADMINISTRATORS
    raise_exception = True
    http_method_names = ["post"]
    form_page_name = "the People page"

    def form_page_url(self):
        return reverse("accounts:people")

    def post(self, request, pk):
        person = get_object_or_404(get_user_model(), pk=pk)
        role = request.POST.get("role")  # none at all is refused like any unknown role
        try:
            emailed = services.role_set(
                user=person,
                role=role,
                actor=request.user,
                login_url=request.build_absolute_uri(reverse("accounts:login")),
            )
        except services.RoleChangeRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Role of {person} set to {ROLE_LABELS[role]}.")
            if emailed:
                messages.info(request, f"An email told {person} at {person.email}.")
            elif emailed is not None:
                messages.warning(request, f"The email to {person.email} could not be sent: tell {person} yourself.")
        query = request.POST.get("q", "").strip()
        return redirect(reverse("accounts:people") + (f"?{urlencode({'q': query})}" if query else ""))
