"""The People page, where an administrator gives each account its role."""

from django.contrib import messages
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from project.testing import ADMINISTRATOR, PENDING, REGISTRAR, SUPERUSER, VIEWER, WebTestCase, make_user, token_for


def roles_shown(page):
    """(username, role) for each row of the People table, top to bottom."""
    return [
        (row.select_one(".username").get_text(), row.select_one(".role").get_text())
        for row in page.html.select("#people tbody tr[id]")
    ]


def groups_of(user):
    return sorted(user.groups.values_list("name", flat=True))


class TestAnAdministratorOnThePeoplePage(WebTestCase):
    role = ADMINISTRATOR

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.user.username = "alice"
        cls.user.save()
        cls.newcomer = make_user(PENDING, username="zed", email="zed@school.example", first_name="Zora")
        # Made out of alphabetical order, so that the page's own order shows.
        cls.registrar = make_user(REGISTRAR, username="cal", email="cal@school.example")
        cls.viewer = make_user(VIEWER, username="bea", email="bea@school.example", last_name="Okafor")
        cls.root = make_user(SUPERUSER, username="root", email="root@school.example")

    def open_people(self, query=""):
        if query:
            return self.get(f"/accounts/people/?q={query}")
        return self.get("/").follow().click(linkid="nav-people")

    def choose(self, page, person, role):
        form = page.forms[f"role-form-{person.pk}"]
        form["role"] = role
        return form.submit()

    def test_sees_every_account_with_its_role_the_pending_ones_first(self):
        page = self.open_people()

        self.assertEqual(
            roles_shown(page),
            [
                ("zed", "Pending approval"),
                ("alice", "Administrator"),
                ("bea", "Viewer"),
                ("cal", "Registrar"),
                ("root", "Administrator"),
            ],
        )

    def test_lists_an_account_in_another_group_only_with_those_waiting(self):
        self.newcomer.groups.add(Group.objects.create(name="Choir"))
        first_two = roles_shown(self.open_people())[:2]

        self.assertEqual(first_two, [("zed", "Pending approval"), ("alice", "Administrator")])

    def test_finds_accounts_by_part_of_the_username_email_or_name(self):
        for query, found in (("ZE", ["zed"]), ("bea@school", ["bea"]), ("okafor", ["bea"]), ("zora zed", ["zed"])):
            with self.subTest(query=query):
                form = self.open_people().forms["people-search-form"]
                form["q"] = query

                page = form.submit()

                self.assertEqual([username for username, _ in roles_shown(page)], found)
                self.assertEqual(page.forms["people-search-form"]["q"].value, query)

    def test_is_told_when_nobody_matches(self):
        page = self.open_people("nobody-like-this")

        self.assertEqual(roles_shown(page), [])
        self.assertContains(page, "Nobody matches “nobody-like-this”.")

    def test_approves_a_new_account_as_a_viewer(self):
        people = self.open_people()
        response = self.choose(people, self.newcomer, "viewer")

        self.assertRedirectsTo(response, "accounts:people")
        page = response.follow()
        self.assertMessage(page, "Role of zed set to Viewer.", level=messages.SUCCESS)
        self.assertIn(("zed", "Viewer"), roles_shown(page))
        self.assertEqual(groups_of(self.newcomer), ["Viewers"])

    def test_gives_each_role_and_takes_it_away_again(self):
        for role, label, groups in (
            ("registrar", "Registrar", ["Registrars"]),
            ("administrator", "Administrator", ["Administrators"]),
            ("viewer", "Viewer", ["Viewers"]),
            ("none", "Pending approval", []),
        ):
            with self.subTest(role=role):
                page = self.choose(self.open_people(), self.viewer, role).follow()

                self.assertMessage(page, f"Role of bea set to {label}.")
                self.assertEqual(groups_of(self.viewer), groups)

    def test_keeps_the_search_after_a_change(self):
        page = self.open_people("zed")

        response = self.choose(page, self.newcomer, "registrar")

        self.assertEqual(response.location, "/accounts/people/?q=zed")
        self.assertEqual(roles_shown(response.follow()), [("zed", "Registrar")])

    def test_removing_a_role_ends_the_accounts_api_token(self):
        old_key = token_for(self.viewer)
        self.assertEqual(self.app.get("/api/students/", headers=self.api_headers(old_key)).status_code, 200)

        self.choose(self.open_people(), self.viewer, "none").follow()

        self.assertFalse(Token.objects.filter(user=self.viewer).exists())
        response = self.app.get("/api/students/", headers=self.api_headers(old_key), status=401)
        self.assertApiError(response, 401, {"detail": "Invalid token."})

    def test_changing_to_another_role_keeps_the_token(self):
        key = token_for(self.viewer)

        self.choose(self.open_people(), self.viewer, "registrar")

        self.assertEqual(Token.objects.get(user=self.viewer).key, key)

    def test_cannot_take_away_their_own_administrator_role(self):
        for role in ("none", "viewer", "registrar"):
            with self.subTest(role=role):
                people = self.open_people()
                with self.assertNoLogs("apps.accounts", "INFO"):
                    page = self.choose(people, self.user, role).follow()

                self.assertMessage(page, "You cannot take away your own administrator role.", level=messages.ERROR)
                self.assertEqual(groups_of(self.user), ["Administrators"])
                self.assertIn(("alice", "Administrator"), roles_shown(page))

    def test_cannot_demote_a_superuser_here(self):
        page = self.choose(self.open_people(), self.root, "viewer").follow()

        self.assertMessage(page, "root is a superuser: change that in the Django admin.", level=messages.ERROR)
        self.assertEqual(groups_of(self.root), [])
        self.assertTrue(User.objects.get(pk=self.root.pk).is_superuser)

    def test_is_told_which_roles_exist_when_sending_another(self):
        for value in ("", "owner", "Viewer"):
            with self.subTest(value=value):
                response = self.post(f"/accounts/people/{self.viewer.pk}/role/", {"role": value})

                self.assertRedirectsTo(response, "accounts:people")
                self.assertMessage(
                    response.follow(),
                    "Choose one of these roles: none, viewer, registrar, administrator.",
                    level=messages.ERROR,
                )
                self.assertEqual(groups_of(self.viewer), ["Viewers"])

    def test_gets_a_404_for_an_account_that_does_not_exist(self):
        response = self.post("/accounts/people/999999/role/", {"role": "viewer"}, status=404)

        self.assertEqual(response.status_code, 404)
        self.assertEqual(Group.objects.get(name="Viewers").user_set.count(), 1)

    def test_pays_the_same_number_of_queries_for_1_or_30_accounts(self):
        # session, user, permissions (2), savepoint pair, the accounts, their groups
        self.assertQueryBudget("/accounts/people/", 8, lambda n: [make_user(VIEWER) for _ in range(n)])


class TestTheNavigationBar(WebTestCase):
    def test_shows_the_people_link_to_administrators_only(self):
        for role, shown in ((ADMINISTRATOR, True), (SUPERUSER, True), (REGISTRAR, False), (VIEWER, False)):
            with self.subTest(role=role):
                page = self.get("/accounts/profile/", user=make_user(role))

                self.assertEqual(page.html.select_one("#nav-people") is not None, shown)

    def test_marks_the_people_link_on_the_people_page(self):
        page = self.get("/accounts/people/", user=make_user(ADMINISTRATOR))

        self.assertEqual([link["id"] for link in page.html.select("nav [aria-current=page]")], ["nav-people"])
