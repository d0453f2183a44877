"""The People page, where an administrator gives each account its role."""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from project.testing import ADMINISTRATOR, PENDING, REGISTRAR, SUPERUSER, VIEWER, make_user, token_for
from project.testing_web import WebTestCase

TEN_WORDS = "zed zed zed zed zed zed zed zed zed zed"
TOO_MANY = "Search for at most 10 words (this search has 11)."


class UnreachableMailServer(BaseEmailBackend):
    """A mail server that cannot be reached (EMAIL_BACKEND for one test)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("no mail server")


def roles_shown(page):
    """(username, role) for each row of the People table, top to bottom."""
    return [
        (row.select_one(".username").get_text(), row.select_one(".role").get_text())
        for row in page.html.select("#people tbody tr[id]")
    ]


def rows(page):
    return page.html.select("#people tbody tr[id]")


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
        cls.viewer = make_user(VIEWER, username="bea", email="bea@école.example", last_name="Ökafor")
        cls.root = make_user(SUPERUSER, username="root", email="root@school.example")

    def open_people(self, query=""):
        if query:
            return self.get(f"/accounts/people/?q={query}")
        return self.get("/").follow().click(linkid="nav-people")

    def choose(self, page, person, role):
        form = page.forms[f"role-form-{person.pk}"]
        form["role"] = role
        return form.submit()

    def test_opening_a_save_buttons_address_leads_to_the_people_page_and_sets_no_role(self):
        page = self.get(f"/accounts/people/{self.newcomer.pk}/role/", status=405)

        self.assertEqual(page.headers["Allow"], "POST")
        self.assertContains(page, "The form is on the People page.", status_code=405)
        self.assertIn(f"role-form-{self.newcomer.pk}", page.click(linkid="form-page-link").forms)
        self.assertFalse(User.objects.get(pk=self.newcomer.pk).groups.exists())

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

    def test_lists_usernames_as_the_alphabet_orders_them_whatever_their_case_or_accents(self):
        make_user(VIEWER, username="Dora", email="dora@school.example")
        make_user(VIEWER, username="émile", email="emile@school.example")

        page = self.open_people()

        self.assertEqual(
            [username for username, _ in roles_shown(page)], ["zed", "alice", "bea", "cal", "Dora", "émile", "root"]
        )

    def test_sees_each_accounts_name_and_the_waiting_ones_marked_and_counted(self):
        make_user(PENDING, username="yan", first_name="Yan", last_name="Li")

        page = self.open_people()

        self.assertEqual(page.html.select_one("#waiting-count").get_text(strip=True), "2 waiting for approval")
        waiting = [row.select_one(".username").get_text() for row in page.html.select("#people tr.person-waiting")]
        self.assertEqual(waiting, ["yan", "zed"])
        badges = [badge.get_text() for badge in page.html.select("#people .badge-waiting")]
        self.assertEqual(badges, ["Pending approval", "Pending approval"])
        names = {row.select_one(".username").get_text(): row.select_one(".name").get_text() for row in rows(page)}
        self.assertEqual(
            names,
            {"yan": "Yan Li", "zed": "Zora Lovelace", "alice": "Ada Lovelace", "bea": "Ada Ökafor",
             "cal": "Ada Lovelace", "root": "Ada Lovelace"},
        )  # fmt: skip
        self.assertValidHtml(page)

    def test_sees_each_accounts_email_and_its_role_already_chosen_in_its_menu(self):
        page = self.open_people()

        for person, role in (
            (self.newcomer, "none"),
            (self.viewer, "viewer"),
            (self.registrar, "registrar"),
            (self.root, "administrator"),
        ):
            with self.subTest(person=person.username):
                self.assertEqual(page.forms[f"role-form-{person.pk}"]["role"].value, role)
                email = page.html.select_one(f"#person-{person.pk} td[data-label=Email]").get_text()
                self.assertEqual(email, person.email)
        self.assertEqual(groups_of(self.registrar), ["Registrars"])

    def test_hears_when_nobody_is_waiting(self):
        self.newcomer.groups.add(Group.objects.get(name="Viewers"))

        page = self.open_people()

        self.assertEqual(
            page.html.select_one("#waiting-count").get_text(strip=True), "Nobody is waiting for approval."
        )
        self.assertEqual(page.html.select("#people tr.person-waiting"), [])

    def test_can_tell_every_save_button_apart_by_its_name(self):
        page = self.open_people()

        buttons = [button.get_text() for button in page.html.select("#people button")]
        self.assertEqual(buttons, [f"Save role of {name}" for name in ("zed", "alice", "bea", "cal", "root")])
        self.assertEqual(page.html.select_one(f"#role-{self.viewer.pk}")["aria-label"], "Role of bea")

    def test_searches_with_up_to_ten_words(self):
        page = self.open_people(TEN_WORDS)

        self.assertEqual(roles_shown(page), [("zed", "Pending approval")])
        self.assertIsNone(page.html.select_one("#errors-q"))
        self.assertFalse(page.html.select_one("title").get_text().startswith("Error:"))

    def test_is_told_above_the_search_box_that_eleven_words_are_too_many(self):
        form = self.open_people().forms["people-search-form"]
        form["q"] = TEN_WORDS + " zed"

        page = form.submit()

        self.assertFieldError(page, "people-search-form", "q", TOO_MANY)
        box = page.html.select_one("#id_q")
        self.assertEqual(box["aria-invalid"], "true")
        self.assertEqual(box["aria-describedby"], "id_q_helptext id_q_error")
        errors = page.html.select_one("#errors-q")
        self.assertEqual(
            [tag["id"] for tag in errors.find_next_siblings()], ["id_q"], "the error comes before the box"
        )
        self.assertEqual(page.forms["people-search-form"]["q"].value, TEN_WORDS + " zed")
        self.assertIsNone(page.html.select_one("#people"), "a search that cannot run lists nobody")
        self.assertTrue(page.html.select_one("title").get_text().startswith("Error: People"))
        self.assertValidHtml(page)

    def test_sees_what_the_search_box_takes_beside_it(self):
        page = self.open_people()

        hint = page.html.select_one("#id_q_helptext")
        self.assertEqual(hint.get_text(), "Username, email or name. Up to 10 words.")
        self.assertEqual(page.html.select_one("#id_q")["aria-describedby"], "id_q_helptext")

    def test_lists_an_account_in_another_group_only_with_those_waiting(self):
        self.newcomer.groups.add(Group.objects.create(name="Choir"))
        first_two = roles_shown(self.open_people())[:2]

        self.assertEqual(first_two, [("zed", "Pending approval"), ("alice", "Administrator")])

    def test_finds_accounts_by_part_of_the_username_email_or_name(self):
        # Letter case is ignored for every letter, not only A to Z (SQLite's own LIKE folds those
        # alone), and accents too, as in the student search.
        cases = (
            ("ZE", ["zed"]),
            ("bea@ÉCOLE", ["bea"]),
            ("ökafor", ["bea"]),
            ("ÖKAFOR", ["bea"]),
            ("okafor", ["bea"]),  # and accents, as the student search
            ("ecole bea", ["bea"]),
            ("zora zed", ["zed"]),
        )
        for query, found in cases:
            with self.subTest(query=query):
                form = self.open_people().forms["people-search-form"]
                form["q"] = query

                page = form.submit()

                self.assertEqual([username for username, _ in roles_shown(page)], found)
                self.assertEqual(page.forms["people-search-form"]["q"].value, query)

    def test_clears_the_search_with_one_link(self):
        self.assertIsNone(self.open_people().html.select_one("#clear-search"), "no search to clear")

        page = self.open_people("zed").click(linkid="clear-search")

        self.assertEqual(page.request.url, "http://testserver/accounts/people/")
        self.assertEqual([username for username, _ in roles_shown(page)], ["zed", "alice", "bea", "cal", "root"])
        self.assertEqual(page.forms["people-search-form"]["q"].value, "")
        self.assertEqual(User.objects.get(username="zed").role, "none")

    def test_is_told_when_nobody_matches(self):
        page = self.open_people("nobody-like-this")

        self.assertEqual(roles_shown(page), [])
        self.assertContains(page, "Nobody matches “nobody-like-this”.")

    def test_approves_a_new_account_as_a_viewer_and_the_account_is_emailed(self):
        people = self.open_people()
        response = self.choose(people, self.newcomer, "viewer")

        self.assertEqual(response.location, "/accounts/people/", "no search to keep")
        page = response.follow()
        self.assertMessage(page, "Role of zed set to Viewer.", level=messages.SUCCESS)
        self.assertMessage(page, "An email told zed at zed@school.example.", level=messages.INFO)
        self.assertIn(("zed", "Viewer"), roles_shown(page))
        self.assertEqual(
            page.html.select_one("#waiting-count").get_text(strip=True), "Nobody is waiting for approval."
        )
        self.assertEqual(groups_of(self.newcomer), ["Viewers"])
        [email] = mail.outbox
        self.assertEqual(email.to, ["zed@school.example"])
        self.assertEqual(email.subject, "Your Student Records account was approved as Viewer")
        self.assertEqual(
            email.body.rstrip(),  # what the reader sees: trailing blank lines do not show
            "Hello Zora,\n\n"
            "The school office approved your Student Records account as Viewer.\n"
            "As Viewer you can look at students and courses and export them.\n\n"
            "Log in with your username (zed) or your email address:\n\n"
            "http://testserver/accounts/login/\n\n"
            "If something looks wrong, ask the school office.",
        )

    def test_changing_a_role_emails_the_account_its_new_role(self):
        self.choose(self.open_people(), self.viewer, "registrar")

        [email] = mail.outbox
        self.assertEqual(
            (email.to, email.subject), (["bea@école.example"], "Your Student Records role is now Registrar")
        )
        self.assertIn("changed your role in Student Records from Viewer to Registrar.", email.body)
        self.assertIn("http://testserver/accounts/login/", email.body)
        self.assertEqual(groups_of(self.viewer), ["Registrars"])

    def test_sends_no_email_when_the_role_stays_or_is_taken_away_or_is_refused(self):
        for person, role in ((self.viewer, "viewer"), (self.registrar, "none"), (self.root, "viewer")):
            with self.subTest(person=person.username, role=role):
                page = self.choose(self.open_people(), person, role).follow()

                self.assertEqual(mail.outbox, [])
                self.assertNotIn("email", " ".join(str(message) for message in page.context["messages"]))
        self.assertEqual([groups_of(self.viewer), groups_of(self.registrar)], [["Viewers"], []])

    @override_settings(EMAIL_BACKEND="apps.accounts.tests.test_people.UnreachableMailServer")
    def test_is_told_when_the_email_could_not_be_sent_and_the_role_is_set_all_the_same(self):
        with self.assertLogs("apps.accounts", "INFO") as logs:
            page = self.choose(self.open_people(), self.newcomer, "registrar").follow()

        self.assertMessage(page, "Role of zed set to Registrar.", level=messages.SUCCESS)
        self.assertMessage(
            page, "The email to zed@school.example could not be sent: tell zed yourself.", level=messages.WARNING
        )
        self.assertEqual(groups_of(self.newcomer), ["Registrars"])
        self.assertIn(
            f"WARNING:apps.accounts:role email not sent user_id={self.newcomer.pk} error=ConnectionRefusedError",
            logs.output,
        )

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

    def test_is_told_which_roles_exist_when_sending_another_or_none(self):
        response = self.post(f"/accounts/people/{self.viewer.pk}/role/", {})
        self.assertMessage(
            response.follow(),
            "Choose one of these roles: none, viewer, registrar, administrator.",
            level=messages.ERROR,
        )
        for value in ("", "owner", "Viewer"):
            with self.subTest(value=value):
                response = self.post(f"/accounts/people/{self.viewer.pk}/role/", {"role": value})

                self.assertEqual(response.location, "/accounts/people/")
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
        # session, user, permissions, the count of those waiting, the accounts, their groups
        self.assertQueryBudget("/accounts/people/", 6, lambda n: [make_user(VIEWER) for _ in range(n)])


class TestTheNavigationBar(WebTestCase):
    def test_shows_the_people_link_to_administrators_only(self):
        for role, shown in ((ADMINISTRATOR, True), (SUPERUSER, True), (REGISTRAR, False), (VIEWER, False)):
            with self.subTest(role=role):
                page = self.get("/accounts/profile/", user=make_user(role))

                self.assertEqual(page.html.select_one("#nav-people") is not None, shown)

    def test_marks_the_people_link_on_the_people_page(self):
        page = self.get("/accounts/people/", user=make_user(ADMINISTRATOR))

        self.assertEqual([link["id"] for link in page.html.select("nav [aria-current=page]")], ["nav-people"])
