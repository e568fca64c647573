"""The referral form in headless Chromium: nothing ticked at first, the preview shows exactly
the ticked fields' values, a phone agreement is recorded, the referral is sent; axe finds no
serious problem on the form."""

from __future__ import annotations

from sqlalchemy import select

from core.models import Conversation
from handoff.referrals.models import Referral
from tests.handoff.helpers import caseworker, handed_over
from tests.handoff.test_browser import ARGS, CHROMIUM, pytestmark, served, sign_in  # noqa: F401
from tests.handoff.test_inbox_browser import _axe, page  # noqa: F401  (laptop and phone)

PHONE = "+351910000081"


def test_the_referral_form_previews_what_goes_and_sends_it(served, page):  # noqa: F811
    from playwright.sync_api import expect

    base, app, _channels = served
    handed_over(app, PHONE, "sms", language="pt")
    with app.db.transaction() as s:
        conv = s.scalars(select(Conversation)).one()
        conv.record = {**conv.record, "nationality": "NP", "district": "PT-15", "household_size": 3,
                       "minors_count": 1}
    caseworker(app.db, "ana@example.org")
    sign_in(page, base, "ana@example.org")
    page.click("li.case[data-case='1'] button.claim")
    page.wait_for_url(f"{base}/console/cases/1")
    page.click("#prepare-referral")
    page.wait_for_url(f"{base}/console/cases/1/refer")
    assert page.locator("input[type=checkbox][name^=field_]:checked").count() == 0  # nothing by default
    page.select_option("#partner", "cpr")
    page.select_option("#purpose", "asylum")
    page.check("input[name=field_nationality]")
    page.check("input[name=field_household]")
    page.click("#show-preview")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Nepal")
    expect(preview).to_contain_text("3 pessoas, das quais 1 menores")
    expect(preview).not_to_contain_text("Setúbal")  # not ticked, not shown, not sent
    expect(page.locator("#not-covered")).to_be_visible()
    assert _axe(page) == []

    page.fill("#phone-note", "Concordou por telefone às 10:40")
    page.click("#record-phone")
    page.wait_for_selector("#covered")
    page.click("#send-referral")
    page.wait_for_url(f"{base}/console/cases/1#referrals")
    row = page.locator("#referrals li[data-referral]")
    expect(row).to_contain_text("CPR")
    expect(row).to_have_attribute("data-status", "prepared")
    page.click("#referrals button:has-text('Entregue')")
    expect(page.locator("#referrals li[data-referral]")).to_have_attribute("data-status", "sent")
    with app.db.sessions() as s:
        made = s.scalars(select(Referral)).one()
        assert made.fields == ["nationality", "household"] and made.partner == "cpr"
        assert made.shared == {"nationality": "Nepal", "household": "3 pessoas, das quais 1 menores"}
