"""The inbox in headless Chromium, at laptop and phone size: a template edited before sending,
danger while waiting, a case reopened by the person, closing with confirmation, filters, the
keyboard focus kept across the queue's redraws, and an axe-core scan of every page."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.handoff.helpers import caseworker, deliver, handed_over, say
from tests.handoff.test_browser import ARGS, CHROMIUM, pytestmark, served, sign_in  # noqa: F401

PHONE = "+351910000071"
VIEWPORTS = {"laptop": {"width": 1366, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def page(request, served) -> Iterator[object]:  # noqa: F811
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport=VIEWPORTS[request.param])
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.viewport_name = request.param
        yield page
        context.close()
        browser.close()


def _deliver(app) -> None:
    sender = threading.Thread(target=deliver, args=(app,))  # Playwright owns this thread's loop
    sender.start()
    sender.join()


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in found.response["violations"]
            if v.get("impact") in ("serious", "critical")]


def test_template_edited_then_sent_with_the_keyboard(served, page):  # noqa: F811
    from playwright.sync_api import expect

    base, app, channels = served
    handed_over(app, PHONE, "sms", language="pt_BR")
    caseworker(app.db, "ana@example.org")
    sign_in(page, base, "ana@example.org")
    page.click("li.case[data-case='1'] button.claim")
    page.wait_for_url(f"{base}/console/cases/1")
    page.fill("#reply-text", "Olá!")
    page.select_option("#template", index=1)
    expect(page.locator("#reply-text")).not_to_have_value("Olá!")
    written = page.input_value("#reply-text")
    assert written.startswith("Olá!\n") and len(written) > 10  # what she typed stays
    expect(page.locator("#segments")).not_to_have_text("0")
    page.locator("#reply-text").press("End")
    page.keyboard.type(" Ana")
    page.locator("#reply-text").press("Control+Enter")
    page.wait_for_selector("#transcript li.caseworker")
    _deliver(app)
    assert channels["sms"].texts(PHONE)[-1] == written + " Ana"


def test_danger_while_waiting_rises_to_the_top_live(served, page):  # noqa: F811
    base, app, _channels = served
    handed_over(app, "+351910000072", "sms", language="en", text="person high")
    handed_over(app, PHONE, "sms", language="hi")
    caseworker(app.db, "ana@example.org")
    sign_in(page, base, "ana@example.org")
    first = page.locator("#queue li.case").first
    assert first.get_attribute("data-case") == "1"
    say(app, "danger: they beat me", PHONE)
    page.wait_for_selector("#queue li.case.prio-urgent[data-case='2']")
    assert page.locator("#queue li.case").first.get_attribute("data-case") == "2"
    assert "unread" in page.locator("li.case[data-case='2']").get_attribute("class")


def test_closing_confirms_and_a_person_writing_again_reopens(served, page):  # noqa: F811
    base, app, _channels = served
    handed_over(app, PHONE, "sms", language="pt")
    caseworker(app.db, "ana@example.org")
    sign_in(page, base, "ana@example.org")
    page.click("li.case[data-case='1'] button.claim")
    page.wait_for_url(f"{base}/console/cases/1")
    assert not page.is_visible("#close")  # behind a deliberate second step
    page.click("#close-panel summary")
    page.click("#close")  # no outcome chosen: the browser asks for one
    assert page.evaluate("document.getElementById('outcome').validity.valueMissing") is True
    page.select_option("#outcome", "information_given")
    page.click("#close")
    page.wait_for_selector("#case[data-status='closed']")

    page.goto(f"{base}/console/")
    say(app, "Desculpe, tenho mais uma pergunta", PHONE)
    page.wait_for_selector("#queue li.case[data-case='2']")
    assert "#1" in page.inner_text("li.case[data-case='2']")  # follows case 1


def test_filters_and_focus_kept_across_redraws(served, page):  # noqa: F811
    base, app, _channels = served
    handed_over(app, PHONE, "sms", language="pt")
    handed_over(app, "+351910000073", "whatsapp", language="uk")
    caseworker(app.db, "ana@example.org")
    sign_in(page, base, "ana@example.org")
    page.select_option("#f-channel", "whatsapp")
    page.click("#apply-filters")
    page.wait_for_url("**/console/?*channel=whatsapp*")
    assert page.locator("#queue li.case").count() == 1
    page.click("#clear-filters")
    page.wait_for_selector("#queue li.case[data-case='1']")

    page.focus("li.case[data-case='1'] button.claim")
    handed_over(app, "+351910000074", "sms", language="en")  # the queue changes under her
    page.wait_for_selector("#queue li.case[data-case='3']")
    focused = page.evaluate("document.activeElement.closest('[data-case]')?.dataset.case + ':' + "
                            "document.activeElement.className")
    assert focused == "1:claim"
    assert page.inner_text("#announce")  # and a screen reader hears that it changed


def test_the_reply_box_is_in_view_and_every_page_passes_axe(served, page):  # noqa: F811
    base, app, _channels = served
    handed_over(app, PHONE, "sms", language="pt_BR")
    say(app, "Olá, preciso de ajuda", PHONE)
    caseworker(app.db, "ana@example.org", role="supervisor")
    page.goto(f"{base}/console/login")
    assert _axe(page) == []
    sign_in(page, base, "ana@example.org")
    assert _axe(page) == []
    page.click("li.case[data-case='1'] button.claim")
    page.wait_for_url(f"{base}/console/cases/1")
    assert _axe(page) == []
    page.goto(f"{base}/console/audit")
    assert _axe(page) == []
    page.goto(f"{base}/console/cases/1")
    height = page.viewport_size["height"]
    if page.viewport_name == "laptop":
        for selector in ("#transcript", "#reply-text", "#send"):
            box = page.locator(selector).bounding_box()
            assert box["y"] + box["height"] <= height, selector
    else:  # on a phone, closing is not the next thing under "Send"
        send = page.locator("#send").bounding_box()
        close = page.locator("#close-panel").bounding_box()
        assert close["y"] - (send["y"] + send["height"]) > 200
