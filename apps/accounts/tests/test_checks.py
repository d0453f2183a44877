"""`manage.py check --deploy` (run by `make serve` before it starts) refuses published demo passwords."""

import os
import stat
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import SimpleTestCase, TestCase

from apps.accounts.models import User
from apps.students.management.commands.seed_demo import DEMO_ACCOUNTS


class TestTheDeploymentCheck(TestCase):
    def test_refuses_while_a_demo_account_keeps_its_published_password(self):
        call_command("seed_demo", stdout=StringIO())

        with self.assertRaises(SystemCheckError) as refusal:
            call_command("check", deploy=True, databases=["default"], fail_level="ERROR", stdout=StringIO())

        for username, *_ in DEMO_ACCOUNTS:
            self.assertIn(f"The account '{username}' still has its demo password", str(refusal.exception))

    def test_passes_once_every_demo_password_is_changed(self):
        call_command("seed_demo", stdout=StringIO())
        for user in User.objects.all():
            user.set_password("Office-Chosen-Password-9")
            user.save()

        issues = run_checks(include_deployment_checks=True, databases=["default"])

        # The errors `check --deploy --fail-level ERROR` stops on (the test settings' warnings are none).
        self.assertEqual([str(issue) for issue in issues if issue.is_serious()], [])


@pytest.mark.deep
class TestMakeServe(SimpleTestCase):
    """scripts/serve.sh on a state folder of its own (two runs of migrate: the deep run only)."""

    def serve(self, state, *args):
        environment = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DATABASE_URL")}
        return subprocess.run(  # noqa: S603 (the project's own script)
            ["bash", "scripts/serve.sh", *args],  # noqa: S607
            cwd=settings.BASE_DIR,
            env={**environment, "STUDENT_RECORDS_HOME": state, "PYTHON": sys.executable},
            capture_output=True,
            text=True,
            check=False,
        )

    def test_keeps_its_own_database_and_secret_key_and_refuses_demo_passwords(self):
        with tempfile.TemporaryDirectory() as state:
            seeded = self.serve(state, "manage", "seed_demo")
            self.assertEqual(seeded.returncode, 0, seeded.stderr)
            key = Path(state, "secret_key")
            self.assertEqual(stat.S_IMODE(key.stat().st_mode), 0o600)
            first_key = key.read_text()
            self.assertTrue(Path(state, "serve.sqlite3").exists())

            refused = self.serve(state, "run")

            self.assertNotEqual(refused.returncode, 0)
            self.assertIn("still has its demo password", refused.stderr)
            self.assertEqual(key.read_text(), first_key)
