"""The health check load balancers and monitors call: the site and its database, up or down."""

from unittest import mock

from django.db import OperationalError, connection

from project.testing import WebTestCase


class TestAMonitorCheckingHealth(WebTestCase):
    def test_hears_that_the_site_and_its_database_are_up(self):
        response = self.get("/healthz")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content_type, "application/json")
        self.assertEqual(response.json, {"status": "ok", "database": "ok"})
        self.assertIn("no-cache", response.headers["Cache-Control"])

    def test_hears_503_with_the_reason_when_the_database_is_down(self):
        # Both ways a database goes away: no connection at all, or a query that fails.
        for failing in ("ensure_connection", "cursor"):
            with (
                self.subTest(failing=failing),
                mock.patch.object(connection, failing, side_effect=OperationalError("connection refused")),
                self.assertLogs("django.request", level="ERROR") as logs,  # so the outage reaches the ops log
            ):
                response = self.get("/healthz", expect_errors=True)

                self.assertEqual(logs.output, ["ERROR:django.request:Service Unavailable: /healthz"])

                self.assertEqual(response.status_code, 503)
                self.assertEqual(
                    response.json,
                    {"status": "error", "database": "unavailable", "reason": "OperationalError"},
                )
                self.assertNotIn("connection refused", response.text)
