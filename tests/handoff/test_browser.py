"""The console in headless Chromium: sign in, queue, claim, card, reply, live answer, close.

Runs the real app under uvicorn on a free local port; skipped when /usr/bin/chromium is absent
(CI installs it).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.web import create_app
from tests.handoff.helpers import caseworker, deliver, handed_over, make_app, say

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = "+351910000042"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(sqlite_db, tmp_path) -> Iterator[tuple[str, object, object]]:
    import uvicorn

    app, channels, _clock = make_app(sqlite_db, tmp_path)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(app), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{port}", app, channels
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(served) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
        browser.close()


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/console/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_selector("li.case[data-case='1']")


def test_caseworker_works_a_case_in_the_browser(served, page):
    from playwright.sync_api import expect

    base, app, channels = served
    handed_over(app, PHONE, "sms", language="pt_BR")
    say(app, "<script>alert(1)</script><img src=x onerror=alert(2)>", PHONE)
    caseworker(app.db, "ana@example.org")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    sign_in(page, base, "ana@example.org")

    # A new person reaches the queue while the caseworker watches: no reload needed.
    page.evaluate("window.__stayed = true")
    handed_over(app, "+351910000043", "sms", language="uk")
    page.wait_for_selector("li.case[data-case='2']")
    assert page.evaluate("window.__stayed") is True

    page.click("li.case[data-case='1'] button.claim")
    page.wait_for_url(f"{base}/console/cases/1")
    card = page.inner_text("#case")
    assert "SMS" in card and "Português (Brasil)" in card and "ARVoRe" in card
    assert "Brasil" in page.inner_text("#record") or "BR" in page.inner_text("#record")
    assert "<script>alert(1)</script>" in page.inner_text("#transcript")  # shown as text

    page.fill("#reply-text", "Olá! Sou a Ana, técnica da equipa.")
    expect(page.locator("#segments")).to_have_text("1")  # counted before sending
    expect(page.locator("#encoding")).to_have_text("UCS-2")
    page.click("#send")
    page.wait_for_url(f"{base}/console/cases/1")
    page.wait_for_selector("#transcript li.caseworker")
    sender = threading.Thread(target=deliver, args=(app,))  # Playwright owns this thread's loop
    sender.start()
    sender.join()
    assert channels["sms"].texts(PHONE)[-1] == "Olá! Sou a Ana, técnica da equipa."

    page.evaluate("window.__stayed = true")
    say(app, "Obrigado, Ana! <img src=x onerror=alert(3)>", PHONE)
    page.wait_for_selector("#transcript li.person >> text=Obrigado, Ana!")
    assert page.evaluate("window.__stayed") is True  # it arrived live

    page.click("#close-panel summary")  # closing is a deliberate second step
    page.select_option("#outcome", "referred_arvore")
    page.check("#anyway")  # her thanks is the last word: closing without an answer is said out loud
    page.click("#close")
    page.wait_for_selector("#case[data-status='closed']")
    assert dialogs == []  # no script a person wrote ever ran


def test_back_after_logout_shows_no_personal_data(served, page):
    base, app, _channels = served
    handed_over(app, PHONE, "sms", language="en")
    say(app, "My employer keeps my passport, Rua das Flores 12", PHONE)
    caseworker(app.db, "rui@example.org")
    sign_in(page, base, "rui@example.org")
    page.click("li.case[data-case='1'] button.claim")
    page.wait_for_url(f"{base}/console/cases/1")
    assert "Rua das Flores" in page.inner_text("#transcript")

    page.click("#logout")
    page.wait_for_url(f"{base}/console/login")
    page.go_back()
    page.wait_for_load_state()
    # The page is asked for again, not taken from the cache: the server sends the login form.
    assert "Rua das Flores" not in page.content()
    assert PHONE not in page.content()
    assert "/console/login" in page.url or page.locator("input[name=password]").count() == 1


def test_a_colleague_cannot_open_a_claimed_case_and_the_holder_reveals_for_a_reason(served, page):
    base, app, _channels = served
    handed_over(app, PHONE, "sms", language="en")
    say(app, "They took my passport. Call me on 912 345 678", PHONE)
    caseworker(app.db, "ana@example.org")
    caseworker(app.db, "rui@example.org")
    sign_in(page, base, "ana@example.org")
    page.click("li.case[data-case='1'] button.claim")
    page.wait_for_url(f"{base}/console/cases/1")
    assert "912 345 678" not in page.content() and PHONE not in page.content()
    page.select_option("#reveal-reason", "contact_person")
    page.click("#reveal")
    page.wait_for_selector("#revealed")
    assert PHONE in page.inner_text("#address") and "912 345 678" in page.inner_text("#transcript")

    page.click("#logout")
    page.wait_for_url(f"{base}/console/login")
    sign_in(page, base, "rui@example.org")
    assert page.locator("li.case.restricted[data-case='1'] a").count() == 0  # no way in from the queue
    for path in ("/console/cases/1", "/console/cases/1/transcript", "/api/v1/cases/1",
                 "/api/v1/cases/1/messages", "/console/cases/1/reveal"):
        page.goto(f"{base}{path}")
        page.wait_for_load_state()
        content = page.content()
        assert "passport" not in content and PHONE not in content and "345 678" not in content, path
