"""HEAD answers wherever GET does, with the same status (the server drops the body); the home page
takes nothing else."""

from project.testing import ADMINISTRATOR, ANONYMOUS, make_user
from project.testing_web import ApiTestCase
from project.tests.test_access import COLUMNS, PAGE, TABLE, fresh_records, path_for


class TestAClientAskingForHeadersOnly(ApiTestCase):
    def test_gets_what_get_gets_without_the_body_on_every_page(self):
        records = fresh_records()
        users = {ANONYMOUS: None, ADMINISTRATOR: make_user(ADMINISTRATOR)}
        for name, method, outcomes in TABLE:
            if method != "GET":
                continue
            # As somebody who may see the page, where anybody may.
            role = ANONYMOUS if outcomes[COLUMNS.index(ANONYMOUS)] == PAGE else ADMINISTRATOR
            path = path_for(name, records)
            with self.subTest(url=name, user=role or "anonymous"):
                if path.startswith("/api/") and not path.startswith(("/api/schema/", "/api/docs/")):
                    as_user = {"headers": self._api_headers(users[role], None, None)}
                else:
                    as_user = self._as(users[role])
                got = self.app.get(path, expect_errors=True, **as_user)

                head = self.app.head(path, expect_errors=True, **as_user)

                self.assertEqual(head.status, got.status)
                self.assertEqual(head.headers.get("Content-Type"), got.headers.get("Content-Type"))


class TestTheHomePage(ApiTestCase):
    def test_answers_405_to_every_method_but_get_and_head(self):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            with self.subTest(method=method):
                response = self.client.generic(method, "/")  # (Django's client: no CSRF token to fetch first)
                self.assertEqual(response.status_code, 405)
                self.assertEqual(response.headers["Allow"], "GET, HEAD")
                self.assertEqual(response.content, b"")
