"""The Reports page in headless Chromium, at laptop and phone size: the charts are drawn, the
table under each says what the API says, nothing runs that the console's CSP would refuse,
and axe-core finds nothing serious."""

from __future__ import annotations

import httpx

from tests.handoff.helpers import bearer, caseworker
from tests.handoff.stats.test_figures import seed
from tests.handoff.test_browser import pytestmark, served  # noqa: F401
from tests.handoff.test_inbox_browser import VIEWPORTS, page  # noqa: F401  (laptop and phone)

RANGE = "from=2026-01-01&to=2026-03-31&by=month"


def _sign_in(page, base: str, email: str) -> None:  # noqa: F811
    page.goto(f"{base}/console/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/console/")


def _numbers(page, table_id: str) -> list[list[int | None]]:  # noqa: F811
    cells = page.locator(f"#{table_id} tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.dataset.value))")
    return [[int(v) if v else None for v in row] for row in cells]


def test_reports_page_draws_charts_whose_tables_are_the_apis_figures(served, page):  # noqa: F811
    base, app, _channels = served
    seed(app.db)
    _, token = caseworker(app.db, "sup@example.org", role="supervisor")
    api = httpx.get(f"{base}/api/v1/stats?{RANGE}", headers=bearer(token)).json()
    tables = {t["name"]: t for t in api["tables"]}
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    _sign_in(page, base, "sup@example.org")
    page.click("#reports-link")
    page.wait_for_url(f"{base}/console/reports")
    page.goto(f"{base}/console/reports?{RANGE}")
    charts = page.locator("svg.chart")
    assert charts.count() == 5
    for i in range(5):
        chart = charts.nth(i)
        assert chart.is_visible() and chart.get_attribute("role") == "img"
        box = chart.bounding_box()
        assert box is not None and box["width"] <= VIEWPORTS["laptop"]["width"] and box["height"] > 80
    # Bars and lines are drawn and coloured by the console's stylesheet, not by the chart.
    fill = page.locator("#chart-channels .series .rect").first.evaluate("e => getComputedStyle(e).fill")
    assert fill not in ("", "none", "rgb(0, 0, 0)")
    assert page.locator("#chart-volume .series .line").count() >= 3

    volume = _numbers(page, "chart-volume-data")
    series = ("conversations_by_channel", "screenings_by_programme", "cases_opened_by_priority")
    assert volume == [[tables[name]["rows"][i]["total"] for name in series] for i in range(3)]
    assert volume[0][0] == 12  # January's conversations, counted by hand
    for chart_id, name in (("chart-languages", "conversations_by_language"),
                           ("chart-channels", "conversations_by_channel"),
                           ("chart-outcomes", "screenings_by_programme"), ("chart-sla", "cases_by_sla")):
        table = tables[name]
        expected = [[row["cells"][c] for c in table["categories"]] + [row["total"]] for row in table["rows"]]
        assert _numbers(page, f"{chart_id}-data") == expected, chart_id
    # A withheld figure says so to a screen reader.
    assert "withheld" in page.inner_text("#chart-channels-data") or "omitido" in page.inner_text("#chart-channels-data")
    assert blocked == []


def test_reports_page_passes_axe(served, page):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    base, app, _channels = served
    seed(app.db)
    caseworker(app.db, "sup@example.org", role="supervisor")
    _sign_in(page, base, "sup@example.org")
    page.goto(f"{base}/console/reports?{RANGE}")
    found = Axe().run(page)
    serious = [f"{v['id']}: {v['help']}" for v in found.response["violations"]
               if v.get("impact") in ("serious", "critical")]
    assert serious == []
