"""The two office roles and the model permissions each one carries.

`has_perm` is the single source of truth for web pages and the API alike.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

VIEWERS = "Viewers"
REGISTRARS = "Registrars"

_RECORD_MODELS = ("student", "course", "enrollment")

ROLE_PERMISSIONS = {
    VIEWERS: [("students", f"view_{model}") for model in _RECORD_MODELS],
    REGISTRARS: [
        ("students", f"{action}_{model}") for model in _RECORD_MODELS for action in ("view", "add", "change", "delete")
    ],
}


def sync_role_groups(using="default", **kwargs):
    """Create both groups and give them exactly their permissions (idempotent)."""
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        wanted = Q(pk__in=[])
        for app_label, codename in codenames:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.using(using).filter(wanted))


def role_of(user):
    """The role name shown to the user on their profile."""
    if user.is_superuser:
        return "Administrator"
    names = {group.name for group in user.groups.all()}
    if REGISTRARS in names:
        return "Registrar"
    if VIEWERS in names:
        return "Viewer"
    return "No role"
