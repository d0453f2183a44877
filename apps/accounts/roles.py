"""The office roles, the group behind each and the permissions each one carries.

`has_perm` is the single source of truth for what a user may do, on web pages
and the API alike; the role is what the People page sets and the profile shows.
An account with no role (what sign-up creates, or one made in the admin
without a group) is waiting for the office to approve it.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef, Q

VIEWERS = "Viewers"
REGISTRARS = "Registrars"
ADMINISTRATORS = "Administrators"

# The values of the People page's `role` field, weakest first.
NONE = "none"
VIEWER = "viewer"
REGISTRAR = "registrar"
ADMINISTRATOR = "administrator"
ROLE_GROUPS = {VIEWER: VIEWERS, REGISTRAR: REGISTRARS, ADMINISTRATOR: ADMINISTRATORS}
ROLE_LABELS = {NONE: "Pending approval", VIEWER: "Viewer", REGISTRAR: "Registrar", ADMINISTRATOR: "Administrator"}
ROLES = list(ROLE_LABELS)
# What each role lets its holder do, as the email giving it says.
ROLE_ALLOWS = {
    VIEWER: "look at students and courses and export them",
    REGISTRAR: "add, change and delete students, courses and enrollments",
    ADMINISTRATOR: "do everything a registrar does, and give accounts their roles on the People page",
}

_RECORD_MODELS = ("student", "course", "enrollment")
_RECORD_WRITES = [
    ("students", f"{action}_{model}") for model in _RECORD_MODELS for action in ("view", "add", "change", "delete")
]

ROLE_PERMISSIONS = {
    VIEWERS: [("students", f"view_{model}") for model in _RECORD_MODELS],
    REGISTRARS: _RECORD_WRITES,
    # The People page: see every account (view_user) and set its role (change_user).
    ADMINISTRATORS: [*_RECORD_WRITES, ("accounts", "view_user"), ("accounts", "change_user")],
}


def sync_role_groups(using="default", **kwargs):
    """Create the role groups and give them exactly their permissions (idempotent)."""
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        wanted = Q(pk__in=[])
        for app_label, codename in codenames:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.using(using).filter(wanted))


def role_of(user):
    """`user`'s role: one of ROLES (`none` for an account still waiting for approval)."""
    if user.is_superuser:
        return ADMINISTRATOR
    names = {group.name for group in user.groups.all()}
    for role in reversed(ROLES[1:]):  # the strongest group wins
        if ROLE_GROUPS[role] in names:
            return role
    return NONE


def is_pending(user):
    """A signed-in account the office has not given a role yet."""
    return user.is_authenticated and role_of(user) == NONE


def has_a_role():
    """A query expression: True for the accounts that have a role (see role_of)."""
    from .models import User

    in_a_role_group = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name__in=ROLE_GROUPS.values())
    return Q(is_superuser=True) | Q(Exists(in_a_role_group))
