"""Playwright driving Debian's Chromium, shared by the browser tests of every app."""

import os
import shutil
from contextlib import contextmanager

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.path.exists(configured) else None
    return next((path for path in CHROMIUM_CANDIDATES if os.path.exists(path)), shutil.which("chromium"))


@contextmanager
def chromium_page(**context_options):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(**context_options)
            yield context.new_page()
        finally:
            browser.close()


def sign_in(page, base_url: str, username: str) -> None:
    """Sign a member of staff made by core.testing.make_staff in through the login page; wait for the home page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button.btn-primary")
    page.wait_for_url(f"{base_url}/")
