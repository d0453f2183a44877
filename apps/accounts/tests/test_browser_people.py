"""Approving accounts in a real browser (headless Chromium), on a desktop and on a phone."""

import pytest
from django.core import mail
from django.test import tag

from apps.accounts.models import User
from project.testing import ADMINISTRATOR, PENDING, REGISTRAR, make_user
from project.testing_browser import BACKGROUND_BEHIND, BrowserTestCase, contrast

# WCAG 2.5.8: a target at least 24 x 24 px; text under 16 px makes iOS zoom into a form.
MIN_TARGET_PX = 24
MIN_CONTROL_TEXT_PX = 16

# WCAG 1.4.11: the edge of a text box or a menu at least 3:1 against the page around it.
MIN_CONTROL_EDGE_CONTRAST = 3
# WCAG 1.4.3: text at least 4.5:1 against what it is drawn on.
MIN_TEXT_CONTRAST = 4.5
# Each form control the page shows: what it is, how big, its text size, its edge and the page around it.
SHOWN_CONTROLS = (
    BACKGROUND_BEHIND
    + """
return [...document.querySelectorAll("input:not([type=hidden]), select, button")]
  .filter((control) => control.getClientRects().length)
  .map((control) => {
    const box = control.getBoundingClientRect();
    return {
      control: control.id || control.name || control.textContent.trim(),
      kind: control.tagName.toLowerCase(),
      width: box.width,
      height: box.height,
      text: parseFloat(getComputedStyle(control).fontSize),
      edge: getComputedStyle(control).borderTopColor,
      page: backgroundBehind(control.parentElement),
    };
  });
"""
)

# What sticks out past the right edge of its card (a row of a table shown as cards), and by how much.
STICKING_OUT_OF_CARDS = """
return [...document.querySelectorAll("table.cards tbody tr")].flatMap((card) => {
  const edge = card.getBoundingClientRect().right;
  return [...card.querySelectorAll("*")]
    .filter((inside) => inside.getBoundingClientRect().right > edge + 0.5)
    .map((inside) => `${card.id}: ${inside.tagName.toLowerCase()} ${inside.className}`
      + ` by ${(inside.getBoundingClientRect().right - edge).toFixed(1)} px`);
});
"""
SMALLEST_PHONE = {"width": 320, "height": 640}


@tag("browser")
class TestAnAdministratorApprovingAccountsInTheBrowser(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.administrator = make_user(ADMINISTRATOR, username="office")
        self.newcomer = make_user(PENDING, username="zed", email="zed@school.example", first_name="Zora")
        make_user(REGISTRAR, username="cal")

    def test_approves_a_waiting_account_on_a_phone_whose_controls_are_big_enough_to_touch(self):
        self.log_in_by_session(self.administrator)
        self.use_phone_size()
        self.open("accounts:people")

        self.wait_for_text("1 waiting for approval", "#waiting-count")
        waiting = self.find(f"#person-{self.newcomer.pk}")
        self.assertIn("person-waiting", waiting.get_attribute("class"))
        self.assertEqual(waiting.find_element("css selector", ".name").text, "Zora Lovelace")
        controls = self.driver.execute_script(SHOWN_CONTROLS)
        self.assertGreaterEqual(len(controls), 8, "the search box and button, a menu and a button per account")
        for control in controls:
            with self.subTest(control=control["control"]):
                self.assertGreaterEqual(min(control["width"], control["height"]), MIN_TARGET_PX, control)
                self.assertGreaterEqual(control["text"], MIN_CONTROL_TEXT_PX, control)
                if control["kind"] != "button":  # a button's edge is its own filled background
                    self.assertGreaterEqual(contrast(control["edge"], control["page"]), MIN_CONTROL_EDGE_CONTRAST)
        # The smallest phones: each card still holds everything it shows, the waiting badge too.
        self.driver.set_window_size(SMALLEST_PHONE["width"], SMALLEST_PHONE["height"])
        self.assertEqual(self.driver.execute_script(STICKING_OUT_OF_CARDS), [])
        self.use_phone_size()
        names = [button.accessible_name for button in self.find_all("#people button")]
        self.assertEqual(names, ["Save role of zed", "Save role of cal", "Save role of office"])
        for words_for_screen_readers in self.find_all("#people button .visually-hidden"):
            self.assertLessEqual(words_for_screen_readers.rect["width"], 1, "the button shows only Save")

        self.fill(f"role-form-{self.newcomer.pk}", role="viewer")
        self.submit(f"role-form-{self.newcomer.pk}")

        self.assertMessageShown("Role of zed set to Viewer.")
        self.assertMessageShown("An email told zed at zed@school.example.")
        self.wait_for_text("Nobody is waiting for approval.", "#waiting-count")
        self.assertEqual(User.objects.get(pk=self.newcomer.pk).role, "viewer")
        [email] = mail.outbox
        self.assertEqual(email.subject, "Your Student Records account was approved as Viewer")
        self.assertIn(f"{self.live_server_url}/accounts/login/", email.body)
        success = self.looks(self.find("#messages li"))

        # A refusal is told in the colours of a problem, not in those of the success before it.
        self.fill(f"role-form-{self.administrator.pk}", role="viewer")
        self.submit(f"role-form-{self.administrator.pk}")

        self.assertMessageShown("You cannot take away your own administrator role.")
        refusal = self.looks(self.find("#messages li"))
        self.assertNotEqual((refusal["text"], refusal["background"]), (success["text"], success["background"]))
        self.assertGreaterEqual(contrast(refusal["text"], refusal["background"]), MIN_TEXT_CONTRAST)
        self.assertEqual(User.objects.get(pk=self.administrator.pk).role, "administrator")
        self.assertEqual(len(mail.outbox), 1)

        # A registrar who opens People reads why, in words for a registrar.
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        self.log_in_by_session(User.objects.get(username="cal"))
        self.open("accounts:people")
        self.wait_for_text("Only administrators can open the People", "#refusal")
        self.assertNotShown("#people")

    @pytest.mark.deep
    def test_finds_the_changed_account_pages_usable_at_both_widths(self):
        """Screenshots of the approval pages as each kind of account sees them, at 1280 and 390 px.
        (`make test` opens each once, at 390 px: here, and in the sign-up journey of test_browser.)"""
        registrar = User.objects.get(username="cal")
        pages = [
            # (screenshot, who, page, element, what it says)
            ("people", self.administrator, "accounts:people", "#waiting-count", "1 waiting for approval"),
            ("awaiting-approval", self.newcomer, "home", "#approval-email", "an email to zed@school.example"),
            ("people-refused", registrar, "accounts:people", "#refusal", "Only administrators can open the People"),
            ("signup", None, "accounts:signup", "label[for=id_first_name]", "First name"),
        ]
        for size in ("desktop", "phone"):
            if size == "phone":
                self.use_phone_size()
            for name, user, page, element, text in pages:
                with self.subTest(size=size, page=name):
                    self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
                    if user is not None:
                        self.log_in_by_session(user)
                    self.open(page)
                    self.wait_for_text(text, element)
                    self.driver.execute_script("window.scrollTo(0, 0);")  # axe may have scrolled
                    self.screenshot(name)
            self.submit("signup-form")  # empty: every field asks for itself
            self.wait_for_text("Username: Choose a username.", "#error-summary")
            self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "error-summary")
            self.assertTrue(self.driver.title.startswith("Error: Sign up"))
            self.screenshot("signup-errors")
        self.assertEqual(User.objects.count(), 3)
