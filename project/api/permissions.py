from rest_framework.permissions import DjangoModelPermissions

from apps.accounts.roles import is_pending

AWAITING_APPROVAL = "Your account is waiting for approval by the office."


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions for every method, reads included.

    DRF lets any signed-in user read by default; here reading needs the
    `view_*` permission, exactly like the web pages. An account without a role
    is told it waits for approval rather than that it lacks permission.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        allowed = super().has_permission(request, view)
        if not allowed and is_pending(request.user):
            self.message = AWAITING_APPROVAL
        return allowed
