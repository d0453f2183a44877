from django.contrib.auth.models import Group

from project.testing import REGISTRAR, WebTestCase


class TestARegistrarVisitingTheHomePage(WebTestCase):
    role = REGISTRAR

    def test_is_sent_to_the_student_list(self):
        response = self.get("/")
        self.assertRedirectsTo(response, "students:list")
        self.assertTrue(self.user.groups.filter(name="Registrars").exists())
        self.assertEqual(Group.objects.count(), 2)
