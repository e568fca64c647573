"""The API against its own OpenAPI document, driven by Schemathesis: it reads the document,
generates requests for every operation (valid and not), and checks that no answer is a server
error, that every status code is documented and that every body matches its schema. The
document's objects are strict here (no field it does not name), so a field added to a response
and not to the document fails."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from bot.web import create_app
from handoff.openapi import document
from tests.handoff.helpers import caseworker, handed_over, make_app, say

CHECKS = (not_a_server_error, status_code_conformance, response_schema_conformance)


def strict(node: Any) -> Any:
    """The document with ``additionalProperties: false`` on every object that lists its fields."""
    if isinstance(node, dict):
        out = {k: strict(v) for k, v in node.items()}
        if out.get("type") == "object" and "properties" in out:
            out.setdefault("additionalProperties", False)
        return out
    if isinstance(node, list):
        return [strict(v) for v in node]
    return node


@pytest.fixture(params=["supervisor", "caseworker"])
def api(request, sqlite_db, tmp_path):
    app, _channels, _clock = make_app(sqlite_db, tmp_path)
    handed_over(app, "+351910000021")
    handed_over(app, "+351910000022", language="pt")
    say(app, "still there?", "+351910000021")
    _, token = caseworker(sqlite_db, f"{request.param}@example.org", role=request.param)
    schema = schemathesis.openapi.from_dict(strict(document()))
    schema.app = create_app(app)
    return schema, token


def test_every_operation_answers_as_documented(api):
    schema, token = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17  # every route of handoff/api.py but the document itself
    answered: Counter[int] = Counter()

    @given(data=st.data())
    @settings(max_examples=800, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def run(data: st.DataObject) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        answered[response.status_code] += 1

    run()
    assert answered and not [code for code in answered if code >= 500]
    assert answered[200] and answered[404]  # both the found and the refused were reached
