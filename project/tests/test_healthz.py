"""The health check load balancers and monitors call: the site and its database, up or down."""

import os
import tempfile
from contextlib import contextmanager

from django.db import connection
from django.test import SimpleTestCase

from project.testing_web import WebTestCase


@contextmanager
def database_gone():
    """Until the block ends the site's database cannot be reached: its file or its server is gone."""
    connection.ensure_connection()
    kept, settings_dict = connection.connection, connection.settings_dict
    with tempfile.TemporaryDirectory() as folder:
        missing = os.path.join(folder, "gone", "records.sqlite3")  # in a folder that does not exist
        name = missing if connection.vendor == "sqlite" else f"{settings_dict['NAME']}_gone"
        connection.settings_dict = {**settings_dict, "NAME": name}
        connection.connection = None  # the next request connects afresh, and cannot
        try:
            yield
        finally:
            connection.connection, connection.settings_dict = kept, settings_dict


class TestAMonitorCheckingHealth(WebTestCase):
    def test_hears_that_the_site_and_its_database_are_up(self):
        response = self.get("/healthz")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content_type, "application/json")
        self.assertEqual(response.json, {"status": "ok", "database": "ok"})
        self.assertIn("no-cache", response.headers["Cache-Control"])


class TestAMonitorCheckingHealthWhileTheDatabaseIsDown(SimpleTestCase):
    # No test transaction around it: the request opens a connection of its own, which fails.
    databases = {"default"}

    def test_hears_503_with_the_reason(self):
        with database_gone(), self.assertLogs("django.request", level="ERROR") as logs:  # the ops log hears too
            response = self.client.get("/healthz")

        self.assertEqual(logs.output, ["ERROR:django.request:Service Unavailable: /healthz"])
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Content-Type"], "application/json")
        # Exactly this: nothing of the database server's own message.
        self.assertEqual(response.json(), {"status": "error", "database": "unavailable", "reason": "OperationalError"})
        self.assertEqual(self.client.get("/healthz").json(), {"status": "ok", "database": "ok"})
