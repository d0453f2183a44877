"""The reads of accounts the pages share (writes are services, in services.py)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from .roles import has_a_role


def people(search):
    """Every account with its groups and whether it has a role (`approved`), the ones
    waiting for approval first, then by username; each word of `search` must match
    part of the username, the email or a name, in any letter case."""
    accounts = get_user_model().objects.annotate(approved=has_a_role()).order_by("approved", "username")
    for word in search.split():
        accounts = accounts.filter(
            Q(username__icontains=word)
            | Q(email__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return accounts.prefetch_related("groups")


def waiting_for_approval():
    """How many accounts have no role yet."""
    return get_user_model().objects.exclude(has_a_role()).count()
