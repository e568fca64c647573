"""Stored JSON text is what the standard library would write, and reads back as it was."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from core import jsondoc


def _stdlib(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


SCALARS = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text()
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30)


@given(DOCUMENTS)
def test_the_same_text_as_the_standard_library(value):
    assert jsondoc.dumps(value) == _stdlib(value)
    assert jsondoc.loads(jsondoc.dumps(value)) == value


@given(st.recursive(SCALARS | st.floats(allow_nan=False, allow_infinity=False), st.lists, max_leaves=10))
def test_floats_read_back_as_written(value):
    assert jsondoc.loads(jsondoc.dumps(value)) == value


def test_a_float_json_cannot_hold_is_stored_as_null():
    # The standard library wrote "Infinity", which is not JSON: PostgreSQL's json type refuses it.
    assert jsondoc.dumps([float("inf"), float("nan")]) == "[null,null]"


def test_what_orjson_refuses_still_goes_through():
    big = {"n": 2**70, 3: "int key", "name": "João 🇵🇹"}
    assert jsondoc.dumps(big) == _stdlib(big)
    assert jsondoc.loads(jsondoc.dumps(big)) == {"n": 2**70, "3": "int key", "name": "João 🇵🇹"}
    assert jsondoc.dumps({1: "a", "b": 2}) == '{"1":"a","b":2}'
    assert jsondoc.dumps([]) == "[]" and jsondoc.loads(b"[]") == []
