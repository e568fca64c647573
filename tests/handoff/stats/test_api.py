"""GET /api/v1/stats, the Reports page and the export: supervisors only, the same figures."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.cli import main
from handoff.openapi import document
from tests.handoff.helpers import bearer, caseworker, console_sign_in, handed_over
from tests.handoff.stats.test_figures import seed


@pytest.fixture
def people(hub):
    seed(hub.db)  # January to March 2026, counted by hand in test_figures
    hub.sup = caseworker(hub.db, "sup@example.org", role="supervisor")[1]
    hub.ana = caseworker(hub.db, "ana@example.org")[1]
    return hub


def test_a_caseworker_reaches_neither_the_endpoint_nor_the_page(people):
    client = people.client
    refused = client.get("/api/v1/stats", headers=bearer(people.ana))
    assert refused.status_code == 403 and "supervisors" in refused.json()["detail"]
    assert client.get("/api/v1/stats").status_code == 401
    console_sign_in(client, "ana@example.org")
    page = client.get("/console/reports", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/console/"
    assert "/console/reports" not in client.get("/console/").text  # no link in her bar


def test_a_supervisor_gets_protected_figures(people):
    got = people.client.get("/api/v1/stats?from=2026-01-10&to=2026-03-02&by=month", headers=bearer(people.sup))
    assert got.status_code == 200
    data = got.json()
    assert (data["from"], data["to"], data["by"], data["k"]) == ("2026-01-01", "2026-03-31", "month", 5)
    tables = {t["name"]: t for t in data["tables"]}
    jan = tables["conversations_by_channel"]["rows"][0]
    assert jan == {"period": "2026-01", "total": 12,
                   "cells": {c: jan["cells"][c] for c in tables["conversations_by_channel"]["categories"]}}
    assert jan["cells"]["sms"] == 7 and jan["cells"]["telegram"] == 5
    # 2 late: withheld, and the 5 in time with it (else 7 - 5 gives it away); zeros stay.
    assert tables["cases_by_sla"]["rows"][0] == {
        "period": "2026-01", "total": 7, "cells": {"met": None, "late": None, "overdue": 0, "waiting": 0}}
    for t in data["tables"]:
        for row in [*t["rows"], t["all"]]:
            assert all(v is None or v == 0 or v >= 5 for v in [*row["cells"].values(), row["total"]])


@pytest.mark.parametrize("query", ["from=2026-13-01", "to=yesterday", "by=year", "from=2026-03-01&to=2026-01-01",
                                   "from=1900-01-01", "round=-1", "round=²", "from=2000-01-01&to=2099-01-01&by=week"])
def test_wrong_parameters_are_422_with_words(people, query):
    got = people.client.get(f"/api/v1/stats?{query}", headers=bearer(people.sup))
    assert got.status_code == 422 and got.json()["detail"]


def test_rounding_on_request(people):
    got = people.client.get("/api/v1/stats?from=2026-01-01&to=2026-01-31&round=5", headers=bearer(people.sup)).json()
    tables = {t["name"]: t for t in got["tables"]}
    assert got["rounding"] == 5 and tables["conversations_by_channel"]["rows"][0]["cells"]["sms"] == 5  # 7


def test_the_document_names_the_endpoint():
    doc = document()
    op = doc["paths"]["/api/v1/stats"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"from", "to", "by", "round"}
    assert "Stats" in doc["components"]["schemas"]


def test_the_page_shows_the_apis_figures(people):
    client = people.client
    console_sign_in(client, "sup@example.org")
    home = client.get("/console/").text
    assert 'href="/console/reports"' in home
    page = client.get("/console/reports?from=2026-01-01&to=2026-03-31")
    assert page.status_code == 200
    html = page.text
    assert html.count("<svg") == 5 and "<script" not in html.split("<main>")[1].split("</main>")[0]
    assert page.headers["content-security-policy"] == "default-src 'self'; frame-ancestors 'none'"
    assert 'id="chart-languages-data"' in html and 'data-value="12"' in html  # January's conversations


def test_the_export_has_the_same_figures_in_every_format(people, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", people.db.url)
    monkeypatch.setenv("INTAKE_ENCRYPTION_KEYS", people.app.settings.keys[0])
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    api = people.client.get("/api/v1/stats?from=2026-01-01&to=2026-03-31", headers=bearer(people.sup)).json()

    assert main(["stats", "export", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["tables"] == api["tables"] and exported["periods"] == api["periods"]

    assert main(["stats", "export", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "csv",
                 "-o", str(tmp_path / "s.csv")]) == 0
    import csv

    lines = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8")))
    by_key = {(r["table"], r["period"], r["category"]): r for r in lines}
    assert by_key[("conversations_by_channel", "2026-01", "sms")]["value"] == "7"
    assert by_key[("conversations_by_channel", "2026-02", "sms")] | {} == {
        **by_key[("conversations_by_channel", "2026-02", "sms")], "value": "", "withheld": "yes"}
    assert by_key[("conversations_by_channel", "all", "total")]["value"] == "26"

    assert main(["stats", "export", "--from", "2026-01-01", "--to", "2026-03-31", "--format", "xlsx"]) == 0
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "stats-2026-01-01-2026-03-31.xlsx", read_only=True)
    sheet = list(book["conversations_by_channel"].iter_rows(values_only=True))
    header, january, february = sheet[0], sheet[1], sheet[2]
    assert january[0] == "2026-01" and january[header.index("sms")] == 7
    assert february[header.index("sms")] == "x" and january[header.index("total")] == 12


def test_the_export_leaves_out_a_bucket_not_over(people, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", people.db.url)
    monkeypatch.setenv("INTAKE_ENCRYPTION_KEYS", people.app.settings.keys[0])
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path))
    handed_over(people.app, "+351910000301")
    today = date.today()
    assert main(["stats", "export", "--from", f"{today:%Y-%m}-01", "--to", today.isoformat(),
                 "--format", "json"]) == 2
    assert "ended" in capsys.readouterr().err


def test_stats_answers_as_documented_to_generated_requests(people):
    """Schemathesis on this one operation: every answer in the strict schema, never a 500."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        response_schema_conformance,
        status_code_conformance,
    )

    from bot.web import create_app
    from tests.handoff.test_openapi_conformance import strict

    schema = schemathesis.openapi.from_dict(strict(document()))
    schema.app = create_app(people.app)
    operation = next(r.ok() for r in schema.get_all_operations() if r.ok().path == "/api/v1/stats")
    seen: list[int] = []

    @given(data=st.data())
    @settings(max_examples=60, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy())
        response = case.call_and_validate(headers={"Authorization": f"Bearer {people.sup}"},
                                          checks=(not_a_server_error, status_code_conformance,
                                                  response_schema_conformance))
        seen.append(response.status_code)

    run()
    assert 200 in seen and 422 in seen and not [c for c in seen if c >= 500]


def test_the_threshold_and_rounding_are_settings(tmp_path):
    from bot.settings import SettingsError, load

    env = {"INTAKE_DATA_DIR": str(tmp_path)}
    assert (load(env, dotenv=None).stats_k, load(env, dotenv=None).stats_round) == (5, 0)
    chosen = load({**env, "INTAKE_STATS_K": "10", "INTAKE_STATS_ROUND": "5"}, dotenv=None)
    assert (chosen.stats_k, chosen.stats_round) == (10, 5)
    for wrong in ("1", "0", "five"):
        with pytest.raises(SettingsError, match="INTAKE_STATS_K"):
            load({**env, "INTAKE_STATS_K": wrong}, dotenv=None)
