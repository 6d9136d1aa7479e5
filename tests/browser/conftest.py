"""Headless Chromium for the browser tests (Debian's `chromium`, driven by Playwright).

Without a browser these tests are skipped on a developer's machine; under CI=true a missing
browser fails the run instead, so the journeys are never silently left out.
"""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> str:
    """The browser's path; skips the test without one, or fails it under CI=true."""
    executable = _chromium()
    if executable is None:
        message = "headless Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI must run the browser tests")
        pytest.skip(message)
    return executable


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop; the ORM calls the tests make between
    # browser steps are ordinary synchronous calls on this thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _is_policy_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@pytest.fixture
def open_page(browser):
    """Pages in fresh browser contexts (separate logins), all closed when the test ends so
    that no kept-alive connection reaches the live server after its test.

    Every page's console is watched: a Content-Security-Policy violation (an inline script
    or style, an outside resource) fails the test that caused it."""
    contexts, violations = [], []

    def new_page(locale: str = "en"):
        # The browser's language: the Accept-Language the workbench follows.
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "console",
            lambda message: violations.append(f"{page.url}: {message.text}")
            if _is_policy_violation(message.text)
            else None,
        )
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


PASSWORD = "correct horse battery staple"  # every UserFactory user's


def sign_in(open_page, live_server, username: str, next_url: str = "/"):
    """A new page, signed in as `username` through the sign-in form, at `next_url`."""
    page = open_page()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page
