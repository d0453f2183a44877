"""The browser half of the harness: `BrowserTestCase`, headless Chromium
(Selenium) against a live server, with helpers to open pages, log in through
the real form, fill and submit forms and wait for what the user sees.

Import it from `project.testing` like everything else; it lives apart so that
only the browser tests pay for loading Selenium.
"""

import base64
import contextlib
import os
import re
import socket
import sys
import unittest
from multiprocessing.util import Finalize
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from axe_selenium_python import Axe
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import tag
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from django.urls import Resolver404, resolve
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from project.testing import DEEP, KNOWN_PASSWORD, url

# The system Chromium. CHROMIUM_BINARY=/usr/lib/chromium/chromium-headless-shell (Debian's
# `chromium-headless-shell`, the same Blink without the windowing layer) runs the journeys on
# about a fifth less CPU; the binary itself, as its /usr/bin script outlives chromedriver's quit.
CHROMIUM_BINARY = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_MISSING = "Chromium not installed: apt-get install chromium chromium-driver (or make setup-browser)"
CHROMIUM_ARGUMENTS = (
    "--headless",  # for the full browser; the shell has no other mode
    "--no-sandbox",  # root in a container has no user namespaces for the sandbox
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1024",
)
WINDOW_SIZE = {"width": 1280, "height": 1024}
PHONE_SIZE = {"width": 390, "height": 844}
# axe-core findings that fail a journey; minor and moderate ones are left to review.
BLOCKING_IMPACTS = {"serious", "critical"}
# Pages that are not the app's own (the API docs are drf-spectacular's Swagger UI).
NOT_CHECKED_PREFIXES = ("/api/",)
# What check_page reads off a page, in one call: its width against the window's, and its
# shape, the ids it shows (the form, the form with errors and the 403 page at one URL are three
# kinds of page). A shape leaves out what does not change how a page is made: which record
# (numbers and course codes), which fields have an error, which neighbouring pages exist,
# whether a flash message is shown (base.html's list, the same on every page).
# `make test` runs axe-core once per URL name and shape in a run (every journey runs in one
# process); `make test-deep` on every page.
PAGE_FACTS = """return {
  path: location.pathname,
  shape: [...new Set([...document.querySelectorAll('[id]')].map((e) => e.id
    .replace(/[A-Z]*[0-9]+/g, '#')
    .replace(/^errors-.+$/, 'errors-*')
    .replace(/^id_.+_error$/, 'id_*_error')
    .replace(/^(previous|next)-page$/, 'page-link'))
    .filter((id) => id !== 'messages'))],
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
};"""
_axe_checked = set()
# The named fields of a form, read in one call: each as [element, tag, type, value] (fill's round trips).
FORM_FIELDS = """return arguments[1].map((name) => {
  const field = document.getElementById(arguments[0]).elements.namedItem(name);
  if (!field) throw new Error("no field " + name + " in form " + arguments[0]);
  return [field, field.tagName.toLowerCase(), (field.type || "").toLowerCase(), field.value];
});"""
# The colour a thing is drawn on: the background of the element or of its nearest ancestor that has one.
BACKGROUND_BEHIND = """function backgroundBehind(element) {
  for (; element; element = element.parentElement) {
    const colour = getComputedStyle(element).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
  }
  return "rgb(255, 255, 255)";
}
"""
# How an element looks: its text colour and weight, what it is drawn on, its border.
LOOKS = (
    BACKGROUND_BEHIND
    + """const style = getComputedStyle(arguments[0]);
return {text: style.color, weight: style.fontWeight, background: backgroundBehind(arguments[0]),
  border: style.borderTopColor};"""
)
# Chromium's network as it is (DevTools' Network.emulateNetworkConditions).
NO_THROTTLING = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
# Long enough for a cold page on a busy CI machine; a passing wait returns at once.
BROWSER_WAIT_SECONDS = float(os.environ.get("BROWSER_WAIT_SECONDS", "10"))
# How often a wait looks again (Selenium's default, half a second, is mostly spent idle).
POLL_SECONDS = 0.05


def contrast(colour, other):
    """WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)")."""

    def luminance(css):
        channels = [int(value) / 255 for value in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(colour), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def chromium_installed():
    return all(os.path.isfile(path) and os.access(path, os.X_OK) for path in (CHROMIUM_BINARY, CHROMEDRIVER))


def start_chromium():
    """Headless system Chromium driven by the system chromedriver.

    The Service gets the driver's path, so Selenium never runs Selenium Manager
    (which would look for, and download, a browser and driver of its own);
    SE_OFFLINE keeps it offline even if something calls it anyway. chromedriver
    gives the browser a new profile directory and removes it when it quits (the
    headless shell does not start at all with a `--user-data-dir` of ours).
    """
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM_BINARY
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=ChromeService(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(BROWSER_WAIT_SECONDS * 3)
    return driver


_shared_driver = None


def shared_chromium():
    """The test process's one Chromium, started on first use, quit when the process ends.

    Starting Chromium costs more CPU than a whole journey's page loads, so every
    browser class in a process (the serial run, or one `--parallel` worker)
    drives the same browser. A Finalize with an exit priority runs both at
    interpreter exit and when a multiprocessing worker stops (atexit does not).
    """
    global _shared_driver
    if _shared_driver is None:
        _shared_driver = start_chromium()
        Finalize(None, _quit_chromium, args=(_shared_driver,), exitpriority=10)
    return _shared_driver


def _quit_chromium(driver):
    global _shared_driver
    _shared_driver = None
    driver.quit()


class _ServerClosingItsConnections(ThreadedWSGIServer):
    """A live server that ends the connections a browser still holds when it stops.

    The shared Chromium outlives each class's server. Its idle keep-alive
    connections would otherwise end later, in request threads that then touch
    the test database after the class has handed it back to the main thread.
    """

    daemon_threads = False  # so server_close() waits for every request thread

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_connections = set()

    def process_request(self, request, client_address):
        self.open_connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        self.open_connections.discard(request)
        super().shutdown_request(request)

    def serve_forever(self, poll_interval=0.05):
        # Stopping waits for the loop to look up: socketserver's half second, every class.
        super().serve_forever(poll_interval)

    def server_close(self):
        for request in list(self.open_connections):
            with contextlib.suppress(OSError):  # already closed by the browser
                request.shutdown(socket.SHUT_RDWR)
        super().server_close()


class _AnsweringAtOnce(QuietWSGIRequestHandler):
    """Sends each packet of an answer as soon as it is written (TCP_NODELAY).

    With Nagle's algorithm the last packet of every page waited for the browser to
    acknowledge the one before, which Linux delays by up to 40 ms: about that much
    idle time on every page a journey opened.
    """

    disable_nagle_algorithm = True


class _LiveServerThread(LiveServerThread):
    server_class = _ServerClosingItsConnections

    def _create_server(self, connections_override=None):
        return self.server_class(
            (self.host, self.port),
            _AnsweringAtOnce,
            allow_reuse_address=False,
            connections_override=connections_override,
        )


@tag("browser")
@unittest.skipUnless(chromium_installed(), CHROMIUM_MISSING)
class BrowserTestCase(StaticLiveServerTestCase):
    """Journeys in headless Chromium against a live server (static files included).

    One browser per test process, shared by every class (see shared_chromium);
    every test starts with no cookies, i.e. logged out, on a blank window of
    the standard size.
    Waits are explicit (WebDriverWait), never sleeps. When a test fails, a
    screenshot and the page source go to test-artifacts/<test id>.png/.html.
    """

    # One worker of the parallel run takes every journey (pytest-xdist --dist loadgroup), so
    # the run starts one Chromium; as the biggest group it starts first.
    pytestmark = pytest.mark.xdist_group("browser")
    driver = None
    server_thread_class = _LiveServerThread

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.driver = shared_chromium()

    def setUp(self):
        super().setUp()
        # The browser outlives the test: forget the previous test's page, login and window. The blank
        # page first: a request the last page still had under way could otherwise set its cookies after
        # the clearing (cookies ignore the port, so the previous class's server counts too).
        self.driver.get("about:blank")
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        if self.driver.get_window_size() != WINDOW_SIZE:
            self.driver.set_window_size(WINDOW_SIZE["width"], WINDOW_SIZE["height"])
        # What an earlier run of this test left is gone: test-artifacts/ shows this run's failures.
        for artifact in self.artifacts():
            artifact.unlink(missing_ok=True)

    def run(self, result=None):
        # The result hears of a failure (or a failing subtest) the moment it
        # happens, before tearDown and cleanups: the page is still the one the
        # test was looking at. Works the same in --parallel workers.
        return super().run(_SaveArtifactsOnFailure(result, self) if result is not None else None)

    def artifacts(self):
        """Where a failure leaves its screenshot and page source: test-artifacts/<test id>.png/.html."""
        base = Path(settings.BASE_DIR) / "test-artifacts" / self.id()
        return Path(f"{base}.png"), Path(f"{base}.html")

    def save_artifacts(self):
        """The screenshot and the page source, where artifacts() says."""
        screenshot, source = self.artifacts()
        try:
            screenshot.parent.mkdir(exist_ok=True)
            self.driver.save_screenshot(str(screenshot))
            source.write_text(f"<!-- {self.driver.current_url} -->\n{self.driver.page_source}")
        except (WebDriverException, OSError) as error:
            print(f"\nCould not save browser artifacts for {self.id()}: {error}", file=sys.stderr)
        else:
            print(f"\nBrowser artifacts: {screenshot} {source}", file=sys.stderr)

    # -- moving around ----------------------------------------------------
    def wait(self, condition, message=""):
        """WebDriverWait for `condition(driver)` to be truthy; returns its value.

        A callable `message` is only called when the wait times out: one that reads
        the page (`self.path`) would cost a round trip to the browser on every call.
        """
        try:
            return WebDriverWait(self.driver, BROWSER_WAIT_SECONDS, poll_frequency=POLL_SECONDS).until(condition)
        except TimeoutException:
            raise TimeoutException(message() if callable(message) else message) from None

    def open(self, name_or_path, *args, **kwargs):
        """Load a page (URL name or path) and wait for it to finish loading."""
        self.driver.get(self.live_server_url + url(name_or_path, *args, **kwargs))  # returns once it has loaded
        self.check_page()

    def check_page(self):
        """What every page a journey reaches must pass: no serious or critical
        axe-core violation (checked once per kind of page, see PAGE_FACTS), and
        nothing wider than the window (no sideways scrolling)."""
        facts = self.driver.execute_script(PAGE_FACTS)
        path = facts["path"]
        if path.startswith(NOT_CHECKED_PREFIXES):
            return
        if DEEP or self._first_of_its_kind(path, facts["shape"]):
            self._check_accessibility(path)
        self.assertLessEqual(
            facts["scrollWidth"], facts["clientWidth"], f"{path} scrolls sideways at {facts['clientWidth']} px"
        )

    def _first_of_its_kind(self, path, shape):
        try:
            name = resolve(path).view_name
        except Resolver404:
            name = path
        kind = (name, frozenset(shape))
        first = kind not in _axe_checked
        _axe_checked.add(kind)
        return first

    def _check_accessibility(self, path):
        axe = Axe(self.driver)
        axe.inject()  # execute_script: the page's Content-Security-Policy does not apply
        # Only the violations are read: axe-core then skips detailing every rule that passed.
        results = axe.run(options={"resultTypes": ["violations"]})
        violations = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} at "
            + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            for violation in results["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        self.assertEqual(violations, [], f"axe-core on {path}")

    def screenshot(self, name):
        """The whole page as test-artifacts/screens/<name>-<window width>.png (CI keeps them)."""
        directory = Path(settings.BASE_DIR) / "test-artifacts" / "screens"
        directory.mkdir(parents=True, exist_ok=True)
        width = self.driver.get_window_size()["width"]
        # Chromium's own capture beyond the window (save_screenshot keeps to what the window shows),
        # which lays the page out again at the window's whole width, with no scroll bar.
        height = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["height"]
        whole_page = {"x": 0, "y": 0, "width": self.driver.execute_script("return innerWidth"), "height": height}
        whole_page["scale"] = 1
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"captureBeyondViewport": True, "clip": whole_page}
        )
        (directory / f"{name}-{width}.png").write_bytes(base64.b64decode(shot["data"]))

    def use_phone_size(self):
        """A phone's window (390 x 844) until the test ends."""
        self.driver.set_window_size(PHONE_SIZE["width"], PHONE_SIZE["height"])

    def _navigate_by(self, action):
        """Run `action` (a click that leaves the page), wait for the next page and check it."""
        self.wait_for_next_page(action)
        self.check_page()

    def wait_for_next_page(self, action):
        """Run `action` (a click that leaves the page) and wait for the next page, unchecked.

        The old page is marked; the wait ends when a document without the mark
        has finished loading. (Selenium's staleness_of can trip over Chromium's
        "Node ... does not belong to the document" mid-navigation.)
        """
        self.driver.execute_script("window.__leftBehind = true;")
        action()

        def arrived(driver):
            try:
                return driver.execute_script("return !window.__leftBehind && document.readyState === 'complete';")
            except WebDriverException:  # between two documents
                return False

        self.wait(arrived, lambda: f"still on {self.path} after the click")

    def click(self, css_selector):
        """Click a link or button that leads to another page, and wait for it."""
        element = self.find(css_selector)
        self._navigate_by(element.click)

    def fill(self, form_id, **fields):
        """Type into the form's fields by name, as a person would.

        Selects are chosen by value (or, failing that, visible text), checkboxes
        ticked or cleared by truthiness; date inputs are set directly because
        Chromium's date widget takes keystrokes in the locale's order.
        """
        self.find(f"form#{form_id}")
        found = self.driver.execute_script(FORM_FIELDS, form_id, list(fields))
        for value, (field, element, kind, current) in zip(fields.values(), found, strict=True):
            if element == "select":
                select = Select(field)
                try:
                    select.select_by_value(str(value))
                except NoSuchElementException:
                    select.select_by_visible_text(str(value))
            elif kind == "checkbox":
                if field.is_selected() != bool(value):
                    field.click()
            elif kind == "date":
                self.driver.execute_script(
                    "arguments[0].value = arguments[1];"
                    "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                    "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                    field,
                    str(value),
                )
            else:
                if current:
                    field.clear()
                field.send_keys(str(value))

    def submit(self, form_id):
        """Press the form's submit button and wait for the answer page."""
        self.click(f"form#{form_id} [type=submit]")

    def double_click_submit_on_a_slow_line(self, form_id):
        """Double-click the form's submit button, as many people click every button, while the
        first answer is on its way (each answer arrives late; the requests reach the server at once)."""
        double_click = ActionChains(self.driver).double_click(self.find(f"form#{form_id} [type=submit]"))
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**NO_THROTTLING, "latency": 300})
        try:
            self._navigate_by(double_click.perform)
        finally:
            self.driver.execute_cdp_cmd("Network.emulateNetworkConditions", NO_THROTTLING)

    def log_in(self, user, password=KNOWN_PASSWORD, *, next_path=None):
        """Log in through the real login form (recipe users know KNOWN_PASSWORD)."""
        query = f"?{urlencode({'next': next_path})}" if next_path else ""
        self.open(url("accounts:login") + query)
        self.fill("login-form", username=user.get_username(), password=password)
        self.submit("login-form")
        self.find("#logout-form")

    def log_in_by_session(self, user):
        """Start the browser logged in as `user` without visiting the login form.

        For journeys about what comes after logging in: the session cookie is
        handed to Chromium directly, saving the three page loads of the form
        (which the login journeys and the WebTest suite prove).
        """
        self.client.force_login(user)
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME]
        self.driver.execute_cdp_cmd(
            "Network.setCookie",
            {"name": cookie.key, "value": cookie.value, "url": self.live_server_url, "path": "/", "httpOnly": True},
        )

    def log_out(self):
        """The Log out button in the navigation bar."""
        self.submit("logout-form")

    # -- looking at the page ----------------------------------------------
    @property
    def path(self):
        return urlsplit(self.driver.current_url).path

    def find(self, css_selector):
        """The element, waiting for it to appear."""
        return self.wait(
            EC.presence_of_element_located((By.CSS_SELECTOR, css_selector)),
            lambda: f"no {css_selector!r} on {self.path}",
        )

    def find_all(self, css_selector):
        """Whatever matches on the page as it is now (possibly nothing)."""
        return self.driver.find_elements(By.CSS_SELECTOR, css_selector)

    def value_of(self, form_id, name):
        return self.find(f"form#{form_id} [name={name}]").get_attribute("value")

    def wait_for_text(self, text, css_selector="body"):
        """Wait until `text` is shown in the element (the whole page by default)."""
        self.wait(
            EC.text_to_be_present_in_element((By.CSS_SELECTOR, css_selector), text),
            lambda: f"{text!r} never appeared in {css_selector!r} on {self.path}",
        )

    def wait_for_path(self, name_or_path, *args, **kwargs):
        expected = url(name_or_path, *args, **kwargs)
        self.wait(lambda driver: self.path == expected, lambda: f"expected {expected}, still on {self.path}")

    def looks(self, element):
        """How `element` looks: {"text", "weight", "background" (what it is drawn on), "border"}, computed CSS."""
        return self.driver.execute_script(LOOKS, element)

    def messages(self):
        """The flash messages shown on the current page."""
        return [message.text for message in self.find_all("#messages li")]

    def assertPath(self, name_or_path, *args, **kwargs):
        self.assertEqual(self.path, url(name_or_path, *args, **kwargs))

    def assertMessageShown(self, text):
        self.wait_for_text(text, "#messages")
        self.assertIn(text, self.messages())

    def assertNotShown(self, *css_selectors):
        for css_selector in css_selectors:
            if self.find_all(css_selector):
                self.fail(f"{css_selector!r} is on {self.path}")

    def assertFieldErrorShown(self, form_id, field, text):
        self.wait_for_text(text, f"form#{form_id} #errors-{field}")


class _SaveArtifactsOnFailure:
    """Passes every result event on; the first failure of a test saves its artifacts."""

    def __init__(self, result, test):
        self._result = result
        self._test = test
        self._saved = False

    def __getattr__(self, name):
        return getattr(self._result, name)

    def _save_once(self):
        if not self._saved and self._test.driver is not None:
            self._saved = True
            self._test.save_artifacts()

    def addError(self, test, err):
        self._save_once()
        self._result.addError(test, err)

    def addFailure(self, test, err):
        self._save_once()
        self._result.addFailure(test, err)

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._save_once()
        self._result.addSubTest(test, subtest, err)
