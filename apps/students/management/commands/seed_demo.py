"""Demo data for `make run`: the two office accounts, once.

Idempotent: running it again changes nothing and prints the same logins.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.roles import REGISTRARS, VIEWERS

DEMO_ACCOUNTS = [
    # (username, email, password, group) — demo-only credentials for a local run.
    ("registrar", "registrar@school.example", "registrar-demo-2026", REGISTRARS),
    ("viewer", "viewer@school.example", "viewer-demo-2026", VIEWERS),
]


class Command(BaseCommand):
    help = "Create the demo accounts (and demo records) once; safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        user_model = get_user_model()
        for username, email, password, group_name in DEMO_ACCOUNTS:
            user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
                user.groups.add(Group.objects.get(name=group_name))
            self.stdout.write(f"Demo login: {username} / {password}  ({group_name[:-1].lower()})")
