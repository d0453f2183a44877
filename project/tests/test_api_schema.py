"""The OpenAPI schema and its interactive docs page, both public and offline."""

import json
from urllib.parse import urlsplit

import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from project.testing import ANONYMOUS
from project.testing_web import WebTestCase

OPERATIONS = {
    "/api/token/": {"post"},
    "/api/students/": {"get", "post"},
    "/api/students/{id}/": {"get", "put", "patch", "delete"},
    "/api/courses/": {"get", "post"},
    "/api/courses/{id}/": {"get", "put", "patch", "delete"},
    "/api/enrollments/": {"post"},
    "/api/enrollments/{id}/": {"delete"},
}


class TestAnAnonymousVisitorReadingTheApiSchema(WebTestCase):
    role = ANONYMOUS

    def load(self):
        """The schema as JSON (quicker to build and parse than the default YAML)."""
        return self.app.get(reverse("api-schema"), params={"format": "json"}).json

    def operation(self, schema, path, method):
        return schema["paths"][path][method]

    def test_gets_a_valid_openapi_3_document(self):
        response = self.app.get("/api/schema/")  # the address API clients are told of
        self.assertEqual(response.content_type, "application/vnd.oai.openapi")
        schema = yaml.load(response.text, Loader=yaml.CSafeLoader)
        validate_schema(schema)  # raises on anything the OpenAPI 3.0 meta-schema refuses
        self.assertTrue(schema["openapi"].startswith("3."))
        self.assertEqual(schema["info"]["title"], "Student Records API")

    def test_finds_every_endpoint_with_its_methods(self):
        paths = self.load()["paths"]
        self.assertEqual({path: set(methods) for path, methods in paths.items()}, OPERATIONS)

    def test_may_ask_for_it_as_json(self):
        response = self.app.get(reverse("api-schema"), params={"format": "json"})
        self.assertEqual(response.content_type, "application/vnd.oai.openapi+json")
        self.assertEqual(set(json.loads(response.text)["paths"]), set(OPERATIONS))

    def test_reads_that_the_api_takes_a_token_header(self):
        schema = self.load()
        self.assertEqual(
            schema["components"]["securitySchemes"]["tokenAuth"],
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": 'Token-based authentication with required prefix "Token"',
            },
        )
        self.assertIn({"tokenAuth": []}, self.operation(schema, "/api/students/", "get")["security"])
        self.assertNotIn("security", self.operation(schema, "/api/token/", "post"))

    def test_reads_the_error_answers_of_each_operation(self):
        schema = self.load()
        expected = {
            ("/api/token/", "post"): {"200", "400", "413", "415", "429"},
            ("/api/students/", "get"): {"200", "400", "401", "403", "404"},
            ("/api/students/", "post"): {"201", "400", "401", "403", "409", "413", "415"},
            ("/api/students/{id}/", "get"): {"200", "401", "403", "404"},
            ("/api/students/{id}/", "put"): {"200", "400", "401", "403", "404", "409", "412", "413", "415"},
            ("/api/students/{id}/", "delete"): {"204", "401", "403", "404", "412"},
            ("/api/courses/", "get"): {"200", "401", "403", "404"},
            ("/api/courses/{id}/", "delete"): {"204", "401", "403", "404", "409", "412"},
            ("/api/enrollments/", "post"): {"201", "400", "401", "403", "409", "413", "415"},
            ("/api/enrollments/{id}/", "delete"): {"204", "401", "403", "404"},
        }
        for (path, method), codes in expected.items():
            with self.subTest(path=path, method=method):
                self.assertEqual(set(self.operation(schema, path, method)["responses"]), codes)
        conflict = self.operation(schema, "/api/courses/{id}/", "delete")["responses"]["409"]
        self.assertEqual(conflict["content"]["application/json"]["schema"], {"$ref": "#/components/schemas/Error"})

    def test_reads_what_each_error_answer_means_and_the_json_it_carries(self):
        schema = self.load()
        error = {"$ref": "#/components/schemas/Error"}
        expected = {
            "400": "Invalid data, or malformed or too deeply nested JSON.",
            "401": "No credentials, or an invalid token.",
            "403": "The user's role does not allow this.",
            "404": "No record with this id.",
            "409": "A simultaneous request saved a conflicting record.",
            "412": "If-Match names an older version: someone else changed the record. Nothing was written.",
            "413": "The body is larger than the size limit.",
            "415": "The body is not JSON.",
        }
        responses = self.operation(schema, "/api/students/{id}/", "put")["responses"]
        for code, description in expected.items():
            with self.subTest(code=code):
                self.assertEqual(responses[code]["description"], description)
                body = responses[code]["content"]["application/json"]["schema"]
                if code == "400":  # field errors, or a detail for JSON that cannot be read
                    self.assertEqual([shape.get("required") for shape in body["anyOf"]], [None, ["detail"]])
                else:
                    self.assertEqual(body, error)
        no_page = self.operation(schema, "/api/students/", "get")["responses"]["404"]
        self.assertEqual(no_page["description"], "No such page.")
        self.assertEqual(no_page["content"]["application/json"]["schema"], error)

    def test_reads_how_long_a_locked_account_waits_for_a_token(self):
        locked = self.operation(self.load(), "/api/token/", "post")["responses"]["429"]
        self.assertEqual(
            locked["description"],
            "Five failed logins in a row for this account from this address: refused for 15 minutes "
            "(`Retry-After` gives the seconds left).",
        )

    def test_reads_how_each_list_is_sorted(self):
        schema = self.load()
        for path, sorts in [
            ("/api/students/", ["last_name", "first_name", "enrolled_on", "student_number", "status"]),
            ("/api/courses/", ["code", "title", "capacity"]),
        ]:
            with self.subTest(path=path):
                parameters = {p["name"]: p for p in self.operation(schema, path, "get")["parameters"]}
                either_way = [value for sort in sorts for value in (sort, f"-{sort}")]
                self.assertEqual(
                    parameters["sort"],
                    {
                        "name": "sort",
                        "in": "query",
                        "required": False,
                        "description": f"The order of the list (`{sorts[0]}` unless given): a field, `-` first for "
                        "the reverse; ties are broken the same way every time. Any other value gives the default.",
                        "schema": {"type": "string", "enum": either_way},
                    },
                )
                self.assertEqual(
                    parameters["ordering"],
                    {
                        "name": "ordering",
                        "in": "query",
                        "required": False,
                        "deprecated": True,
                        "description": "The older name of `sort`: the same values, also several of them separated "
                        "by commas, ordered by each in turn.",
                        "schema": {"type": "string"},
                    },
                )

    def test_reads_which_writes_take_if_match_and_which_answers_carry_an_etag(self):
        schema = self.load()
        for path in ("/api/students/{id}/", "/api/courses/{id}/"):
            for method in ("get", "put", "patch", "delete"):
                with self.subTest(path=path, method=method):
                    operation = self.operation(schema, path, method)
                    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
                    self.assertEqual(headers, set() if method == "get" else {"If-Match"})
                    answer = operation["responses"]["204" if method == "delete" else "200"]
                    self.assertEqual(set(answer.get("headers", {})), set() if method == "delete" else {"ETag"})
        for path, method in [("/api/students/", "post"), ("/api/enrollments/{id}/", "delete")]:
            with self.subTest(path=path, method=method):
                self.assertNotIn("412", self.operation(schema, path, method)["responses"])
                self.assertNotIn("If-Match", str(self.operation(schema, path, method).get("parameters")))

    def test_reads_the_ids_in_paths_are_at_most_18_digits(self):
        parameter = self.operation(self.load(), "/api/students/{id}/", "get")["parameters"][0]
        self.assertEqual(parameter["schema"], {"type": "string", "pattern": "^[0-9]{1,18}$"})


class TestAnAnonymousVisitorOpeningTheApiDocs(WebTestCase):
    role = ANONYMOUS

    def test_sees_the_interactive_docs_served_entirely_by_the_site(self):
        page = self.app.get(reverse("api-docs"))
        self.assertEqual(page.content_type, "text/html")
        self.assertIn('<div id="swagger-ui"></div>', page.text)
        self.assertEqual(page.html.select("style") + page.html.select("script:not([src])"), [], "inline code")
        assets = [tag["src"] for tag in page.html.select("script[src]")]
        assets += [tag["href"] for tag in page.html.select("link[href]")]
        self.assertTrue(any(asset.endswith("swagger-ui-bundle.js") for asset in assets), assets)
        self.assertIn("/api/docs/?script=", assets)
        for asset in assets:
            with self.subTest(asset=asset):
                self.assertFalse(urlsplit(asset).netloc, "an asset from another site needs the network")
                self.assertTrue(asset.startswith(("/static/", "/api/docs/")), asset)
                self.assertEqual(self.app.get(asset).status_code, 200)

    def test_sees_the_docs_load_this_sites_schema(self):
        script = self.app.get(reverse("api-docs") + "?script=")
        self.assertEqual(script.content_type, "application/javascript")
        self.assertIn(json.dumps(reverse("api-schema")), script.text)
