"""The harness itself, where its behaviour is not already what every page test relies on."""

from django.test.signals import template_rendered

from project.testing import SUPERUSER, WebTestCase, url


class TestAPageRequest(WebTestCase):
    role = SUPERUSER

    def test_leaves_no_template_listener_behind_and_still_fills_the_context(self):
        # django-webtest leaves its listener to the garbage collector, and a refused
        # admin form keeps it alive in a reference cycle until a full collection.
        self.assertFalse(template_rendered.has_listeners())

        for _ in range(3):
            form = self.get(url("admin:accounts_user_add")).forms["user_form"]
            form["username"] = "dorothy@school.example"
            refused = form.submit()
        shown = self.get(url("students:list"))

        self.assertFalse(template_rendered.has_listeners())
        self.assertEqual(refused.context["adminform"].form.errors.get_json_data()["username"][0]["code"], "at_sign")
        self.assertEqual(shown.templates[0].name, "students/student_list.html")
        self.assertEqual(shown.context["page_obj"].paginator.count, 0)
