"""The reads of accounts the pages share (writes are services, in services.py)."""

from django.contrib.auth import get_user_model

from project.folding import without_case_or_accents

from .roles import has_a_role


def people(search):
    """Every account with its groups and whether it has a role (`approved`), the ones
    waiting for approval first, then by username; each word of `search` must match
    part of the username, the email or a name, ignoring letter case and accents as the
    student search does (project/folding.py)."""
    accounts = (
        get_user_model()
        .objects.annotate(approved=has_a_role())
        .order_by("approved", "username")
        .prefetch_related("groups")
    )
    words = [without_case_or_accents(word) for word in search.split()]
    if not words:
        return accounts
    # Matched here, not in SQL (which folds no accents on SQLite): an office has a few
    # hundred accounts at most, and this page lists them all anyway.
    return [account for account in accounts if all(word in searchable(account) for word in words)]


def searchable(account):
    return "\n".join(
        without_case_or_accents(text)
        for text in (account.username, account.email, account.first_name, account.last_name)
    )


def waiting_for_approval():
    """How many accounts have no role yet."""
    return get_user_model().objects.exclude(has_a_role()).count()
