import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, TemplateView
from rest_framework.authtoken.models import Token

from .forms import LoginForm, SignUpForm
from .roles import is_pending

logger = logging.getLogger("apps.accounts")


@method_decorator(login_not_required, name="dispatch")
class SignUpView(CreateView):
    form_class = SignUpForm
    template_name = "accounts/signup.html"
    # Logged in but without a role: home tells the new account it waits for approval.
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        user = form.save()
        logger.info("sign-up user_id=%s username=%s", user.pk, user.get_username())
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
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have been logged out.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        logger.info("password changed user_id=%s", self.request.user.pk)
        messages.success(self.request, "Your password was changed.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        matching = sum(1 for _ in form.get_users(form.cleaned_data["email"]))
        logger.info("password reset requested matching_accounts=%d", matching)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        logger.info("password reset completed user_id=%s", form.user.pk)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ProfileView(TemplateView):
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        token, _ = Token.objects.get_or_create(user=self.request.user)
        return super().get_context_data(token=token, **kwargs)


@require_POST
def regenerate_token(request):
    with transaction.atomic():
        Token.objects.filter(user=request.user).delete()
        Token.objects.create(user=request.user)
    logger.info("api token regenerated user_id=%s", request.user.pk)
    messages.success(request, "Your API token was regenerated. The old one no longer works.")
    return redirect("accounts:profile")
