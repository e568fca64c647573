"""The OpenAPI 3.1 document of the caseworker REST API, written by hand (served at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from channels.registry import NAMES
from dialogs.screening import CONTACT_OPTIONS
from handoff.models import ROLES
from handoff.queue import OUTCOMES
from handoff.referrals.consent import MAX_NOTE as CONSENT_NOTE
from handoff.referrals.fields import FIELDS, PURPOSES
from handoff.referrals.models import STATUSES
from handoff.referrals.partners import DELIVERIES, KINDS
from handoff.reveal import MAX_NOTE, REASONS

__all__ = ["document"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    "400": {"$ref": "#/components/responses/Error"},
    "401": {"$ref": "#/components/responses/Unauthorised"},
    "403": {"$ref": "#/components/responses/Error"},
    "404": {"$ref": "#/components/responses/Error"},
    "409": {"$ref": "#/components/responses/Error"},
    "413": {"$ref": "#/components/responses/Error"},
    "422": {"$ref": "#/components/responses/Error"},
}
_ID = [{"name": "case_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_RID = [{"name": "referral_id", "in": "path", "required": True, "schema": {"type": "integer"}}]


def _op(summary: str, ok: dict[str, Any], body: dict[str, Any] | None = None, code: str = "200",
        params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "parameters": params or [], "responses": {code: ok, **_ERRORS}}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def _time() -> dict[str, Any]:
    return {"type": ["string", "null"], "format": "date-time"}


def _count() -> dict[str, Any]:
    return {"type": ["integer", "null"], "minimum": 0, "description": "null: withheld"}


def _list(item: str) -> dict[str, Any]:
    return {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": _ref(item)}}}


def document() -> dict[str, Any]:
    case_ok = _json(_ref("Case"), "the case")
    schemas: dict[str, Any] = {
        "Error": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
        "Sla": {"type": "object", "properties": {
            "due_at": {"type": "string", "format": "date-time"}, "breached": {"type": "boolean"},
            "met": {"type": "boolean"}, "minutes_left": {"type": ["integer", "null"]},
            "paused": {"type": "boolean", "description": "the office is closed: the clock does not run"}}},
        "Message": {"type": "object", "properties": {
            "id": {"type": "integer"}, "direction": {"enum": ["in", "out"]},
            "author": {"enum": ["person", "bot", "caseworker"]}, "text": {"type": "string"},
            "status": {"type": "string"}, "at": {"type": "string", "format": "date-time"}}},
        "Case": {"type": "object", "properties": {
            "id": {"type": "integer"}, "conversation_id": {"type": "integer"},
            "channel": {"enum": list(NAMES)},
            "address": {"type": ["string", "null"], "description": "only in GET /cases/{id}; all but "
                        "the last two characters masked until revealed (POST /cases/{id}/reveal)"},
            "address_revealed": {"type": "boolean", "description": "whether this card shows the "
                                 "address, the number given and long numbers in full"},
            "speaks": {"type": "boolean", "description": "in lists: the case's language is one of mine"},
            "restricted": {"type": "boolean", "description": "in lists: a colleague holds this case; "
                           "only id, status and assignee are shown"},
            "status": {"enum": ["queued", "claimed", "closed"]},
            "language": {"type": "string", "description": "the person's locale, e.g. pt_BR"},
            "programme": {"type": ["string", "null"]}, "eligibility": {"type": ["string", "null"]},
            "priority": {"enum": ["urgent", "high", "normal", "low"]},
            "reasons": {"type": "array", "items": {"type": "string"}},
            "record": {"type": "object", "description": "the intake record (GET /cases/{id} only)"},
            "contact": {"type": "object", "description": "how the person asked to be contacted "
                        "(GET /cases/{id} only): preference, label, phone, action (tel: or sms:)",
                        "properties": {"preference": {"type": "string",
                                                      "enum": [c.value for c in CONTACT_OPTIONS]},
                                       "label": {"type": "string"},
                                       "phone": {"type": ["string", "null"]},
                                       "action": {"type": ["string", "null"]}}},
            "transcript": {"type": "array", "items": _ref("Message"),
                           "description": "in the original language, oldest first (GET /cases/{id} only)"},
            "waiting_seconds": {"type": "integer"}, "sla": _ref("Sla"),
            "outcome": {"type": ["string", "null"], "enum": [*OUTCOMES, None]},
            "assignee": {"type": ["object", "null"], "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}}},
            "escalated": {"type": "boolean"},
            "pseudonym": {"type": "string", "description": "a name for the person made from no "
                          "personal data, the same on each of their cases (search finds it)"},
            "unread_at": {**_time(), "description": "when the person wrote what the holder has "
                          "not read yet; null when nothing is unread"},
            "last_activity_at": _time(),
            "follows": {"type": ["integer", "null"], "description": "the closed case this one follows "
                        "up: the person wrote again within the reopening window"},
            "opened_at": _time(), "claimed_at": _time(), "closed_at": _time(),
            "record_labelled": {"type": "array", "description": "the record in the console's language "
                                "(GET /cases/{id} only)", "items": {"type": "object", "properties": {
                                    "field": {"type": "string"}, "label": {"type": "string"},
                                    "value": {}}}},
            "outcome_labelled": {"type": "object", "description": "GET /cases/{id} only", "properties": {
                "programme": {"type": ["string", "null"]}, "eligibility": {"type": ["string", "null"]},
                "priority": {"type": "string"}, "reasons": {"type": "array", "items": {"type": "string"}}}},
            "rules_version": {"type": ["string", "null"], "description": "the rules that decided the "
                              "outcome (GET /cases/{id} only)"},
            "notes": {"type": "array", "description": "internal notes (GET /cases/{id} only)",
                      "items": {"type": "object", "properties": {
                          "id": {"type": "integer"}, "text": {"type": "string"},
                          "author": {"type": "string"}, "at": _time()}}},
            "unanswered": {"type": "boolean", "description": "the person's message is the last one: "
                           "nobody has answered it yet (GET /cases/{id} only)"},
            "contact_status": {"type": ["string", "null"], "enum": ["active", "stopped", "erased", None]},
            "can_send": {"type": ["boolean", "null"], "description": "whether a reply can go now"},
            "blocked_reason": {"type": ["string", "null"], "description": "why not, in words"}}},
        "Revealed": {"type": "object", "required": ["case_id", "address", "contact", "revealed_at", "reason"],
                     "properties": {
            "case_id": {"type": "integer"}, "address": {"type": ["string", "null"]},
            "contact": {"type": "object"}, "revealed_at": {"type": "string", "format": "date-time"},
            "reason": {"enum": list(REASONS)}, "note": {"type": ["string", "null"]}}},
        "Conversation": {"type": "object", "properties": {
            "id": {"type": "integer"}, "channel": {"type": "string"}, "status": {"type": "string"},
            "language": {"type": ["string", "null"]}, "expecting": {"type": ["object", "null"]},
            "record": {"type": "object"}, "outcome": {"type": ["object", "null"]},
            "case_id": {"type": ["integer", "null"]},
            "state": {"type": ["string", "null"], "description": "where the dialog is"},
            "updated_at": _time()}},
        "Sent": {"type": "object", "properties": {
            "id": {"type": "integer"}, "text": {"type": "string"}, "segments": {"type": "integer"},
            "encoding": {"enum": ["GSM-7", "UCS-2"]}, "characters": {"type": "integer"}}},
        "Template": {"type": "object", "properties": {
            "code": {"type": "string"}, "title": {"type": "string"}, "text": {"type": "string"},
            "segments": {"type": "integer"}, "characters": {"type": "integer"},
            "encoding": {"enum": ["GSM-7", "UCS-2"]}, "priced_per_segment": {"type": "boolean"}}},
        "Me": {"type": "object", "properties": {
            "id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"},
            "role": {"enum": list(ROLES)},
            "languages": {"type": "array", "items": {"type": "string"}}}},
        "StatsRow": {"type": "object", "required": ["total", "cells"], "properties": {
            "period": {"type": "string", "description": "the bucket: 2026-03, or 2026-W10"},
            "total": _count(), "cells": {
                "type": "object", "additionalProperties": _count(),
                "description": "one figure per category (as listed in the table's categories)"}}},
        "StatsTable": {"type": "object", "properties": {
            "name": {"type": "string", "description": "e.g. conversations_by_channel"},
            "measure": {"type": "string", "description": "what is counted: conversations, screenings, "
                        "cases_opened, cases_closed, referrals, stops, erasures"},
            "dimension": {"type": "string", "description": "what it is counted by"},
            "additive": {"type": "boolean", "description": "false where one person may be in several "
                         "categories: cells need not add up to the total"},
            "categories": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": _ref("StatsRow")},
            "all": {**_ref("StatsRow"), "description": "the whole range: shown only where every "
                    "bucket's figure is shown"}}},
        "Stats": {"type": "object", "properties": {
            "from": {"type": "string", "format": "date", "description": "the first day of the first bucket"},
            "to": {"type": "string", "format": "date", "description": "the last day of the last bucket"},
            "by": {"enum": ["month", "week"]},
            "k": {"type": "integer", "description": "no figure under k is shown (INTAKE_STATS_K)"},
            "rounding": {"type": ["integer", "null"], "description": "figures rounded to this base"},
            "withheld": {"type": "string", "description": "what a null figure means"},
            "periods": {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}, "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
                "partial": {"type": "boolean", "description": "the bucket has not ended yet"}}}},
            "tables": {"type": "array", "items": _ref("StatsTable")}}},
        "Partner": {"type": "object", "required": ["id", "name", "kind"], "properties": {
            "id": {"type": "string"}, "name": {"type": "string"},
            "short": {"type": "string", "description": "the name in messages to the person"},
            "kind": {"enum": list(KINDS)},
            "languages": {"type": "array", "items": {"type": "string"}},
            "regions": {"type": "array", "items": {"type": "string"},
                        "description": "district codes (PT-11) or all"},
            "accepts": {"type": "array", "items": {"enum": list(PURPOSES)}},
            "delivery": {"enum": list(DELIVERIES)},
            "verified": {"type": "boolean", "description": "confirmed with the partner"},
            "reviewed": {"type": ["string", "null"], "format": "date"}}},
        "Referral": {"type": "object", "required": ["id", "status"], "properties": {
            "id": {"type": "integer"}, "reference": {"type": "string", "description": "what the partner sees"},
            "case_id": {"type": ["integer", "null"]}, "partner": {"type": "string"},
            "partner_name": {"type": "string"}, "purpose": {"enum": list(PURPOSES)},
            "fields": {"type": "array", "items": {"enum": list(FIELDS)}},
            "status": {"enum": list(STATUSES)},
            "delivery": {"enum": list(DELIVERIES)},
            "delivery_status": {"enum": ["pending", "sending", "sent", "failed", "cancelled", "none"]},
            "notify_person": {"type": "boolean"},
            "created_at": _time(), "sent_at": _time(), "answered_at": _time(), "withdrawn_at": _time(),
            "withdrawal_notice_due": {"type": "boolean", "description": "the person withdrew and the "
                                      "partner has not been told yet"},
            "last_error": {"type": ["string", "null"]},
            "values": {"type": "object", "description": "what was shared (GET /referrals/{id} only)",
                       "additionalProperties": {"type": "string"}},
            "note": {"type": ["string", "null"], "description": "the partner's answer (GET /referrals/{id} only)"}}},
        "ReferralConsent": {"type": "object", "required": ["id", "status"], "properties": {
            "id": {"type": "integer"}, "partner": {"type": "string"}, "purpose": {"enum": list(PURPOSES)},
            "fields": {"type": "array", "items": {"enum": list(FIELDS)}},
            "status": {"enum": ["asked", "given", "refused", "withdrawn", "superseded"]},
            "method": {"enum": ["message", "phone"]}, "notice_version": {"type": "string"},
            "asked_at": _time(), "answered_at": _time(), "withdrawn_at": _time()}},
        "AuditEntry": {"type": "object", "properties": {
            "id": {"type": "integer"}, "at": _time(), "caseworker_id": {"type": ["integer", "null"]},
            "caseworker": {"type": ["string", "null"]}, "action": {"type": "string"},
            "case_id": {"type": ["integer", "null"]}, "detail": {"type": ["object", "null"]}}},
    }
    paths: dict[str, Any] = {
        "/api/v1/cases": {"get": _op("Cases in this caseworker's queue order", _json(_list("Case"), "cases"),
            params=[{"name": "status", "in": "query", "schema": {"enum": ["queued", "claimed", "closed"]}},
                    {"name": "language", "in": "query", "schema": {"type": "string"},
                     "description": "base language of the person, e.g. pt, hi"},
                    {"name": "channel", "in": "query", "schema": {"enum": list(NAMES)}},
                    {"name": "priority", "in": "query", "schema": {"enum": ["urgent", "high", "normal", "low"]}},
                    {"name": "holder", "in": "query", "schema": {"type": "integer"},
                     "description": "the caseworker id holding the case"},
                    {"name": "q", "in": "query", "schema": {"type": "string"},
                     "description": "a case number (12 or #12) or a pseudonym"}])},
        "/api/v1/cases/next/claim": {"post": _op("Claim the first case of my queue order", case_ok)},
        "/api/v1/cases/{case_id}": {"get": _op("The case card (audited as a view)", case_ok, params=_ID)},
        "/api/v1/cases/{case_id}/claim": {"post": _op("Claim a queued case (409 if taken)", case_ok, params=_ID)},
        "/api/v1/cases/{case_id}/reveal": {"post": _op(
            "Reveal the address and the number to call, saying why (audited: who, when, why); the "
            "case card then shows them to me in full for 15 minutes",
            _json(_ref("Revealed"), "the address"),
            {"type": "object", "required": ["reason"], "properties": {
                "reason": {"enum": list(REASONS)},
                "note": {"type": "string", "maxLength": MAX_NOTE,
                         "description": "why, in a few words; required when the reason is other"}}},
            params=_ID)},
        "/api/v1/cases/{case_id}/release": {"post": _op("Return my claimed case to the queue", case_ok, params=_ID)},
        "/api/v1/cases/{case_id}/reassign": {"post": _op("Give a case to a caseworker (supervisors)", case_ok,
            {"type": "object", "properties": {"caseworker_id": {"type": "integer"}, "email": {"type": "string"}}},
            params=_ID)},
        "/api/v1/cases/{case_id}/messages": {
            "get": _op("The transcript after a message id", _json(_list("Message"), "messages"), params=[
                *_ID, {"name": "after", "in": "query", "schema": {"type": "integer"}}]),
            "post": _op("Reply to the person through their channel (409 when they opted out or the "
                        "WhatsApp 24-hour window is closed)", _json(_ref("Sent"), "queued for delivery"),
                        {"type": "object", "properties": {"text": {"type": "string", "maxLength": 1600},
                                                          "template": {"type": "string"}}},
                        code="201", params=_ID)},
        "/api/v1/cases/{case_id}/notes": {"post": _op("Add an internal note", _json({"type": "object"}, "the note"),
            {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
            code="201", params=_ID)},
        "/api/v1/cases/{case_id}/close": {"post": _op("Close the case; the person returns to the bot", case_ok,
            {"type": "object", "required": ["outcome"], "properties": {"outcome": {"enum": list(OUTCOMES)}}},
            params=_ID)},
        "/api/v1/conversations": {"get": _op("Conversations (supervisors): by address, or those still with the bot",
            _json(_list("Conversation"), "conversations"), params=[
                {"name": "channel", "in": "query", "schema": {"enum": list(NAMES)}},
                {"name": "address", "in": "query", "schema": {"type": "string"},
                 "description": "Telegram chat id, E.164 number or web chat session id"}])},
        "/api/v1/templates": {"get": _op("Standard replies rendered in a language", _json(_list("Template"), "templates"),
            params=[{"name": "language", "in": "query", "schema": {"type": "string"}}])},
        "/api/v1/cases/{case_id}/export": {"get": _op("The full case card for export (supervisors; audited)",
            case_ok, params=_ID)},
        "/api/v1/cases/{case_id}/erase": {"post": _op(
            "Erase the person's data on their behalf (supervisors; audited): transcript, answers and "
            "address removed, counts kept, a confirmation sent",
            _json({"type": "object", "properties": {"erased": {"type": "boolean"}, "case_id": {"type": "integer"}}},
                  "erased"), params=_ID)},
        "/api/v1/audit": {"get": _op("Who viewed, replied to, exported or closed what (supervisors)",
            _json(_list("AuditEntry"), "audit entries, newest first"),
            params=[{"name": "case_id", "in": "query", "schema": {"type": "integer"}},
                    {"name": "caseworker_id", "in": "query", "schema": {"type": "integer"}},
                    {"name": "action", "in": "query", "schema": {"type": "string"},
                     "description": "e.g. reveal, view, read_transcript, export, close"}])},
        "/api/v1/me": {"get": _op("The token's caseworker", _json(_ref("Me"), "me"))},
        "/api/v1/partners": {"get": _op("The referral partner directory",
                                        _json(_list("Partner"), "partners"))},
        "/api/v1/cases/{case_id}/referrals": {
            "get": _op("The case's referrals", _json(_list("Referral"), "referrals"), params=_ID),
            "post": _op(
                "Refer the person to a partner with only the chosen fields (never the transcript); "
                "409 with the reason when the person has not agreed to exactly this, refused, or "
                "withdrew", _json(_ref("Referral"), "prepared: the courier delivers it"),
                {"type": "object", "required": ["partner", "fields"], "properties": {
                    "partner": {"type": "string"},
                    "fields": {"type": "array", "minItems": 1, "items": {"enum": list(FIELDS)}},
                    "purpose": {"enum": list(PURPOSES), "description": "default: the one agreed to"},
                    "notify_person": {"type": "boolean", "description": "tell the person when it is "
                                      "sent and to whom (default true; false when that is unsafe)"},
                    "delivery": {"enum": ["paper"], "description": "print the sheet instead of the "
                                 "partner's own channel"}}},
                code="201", params=_ID)},
        "/api/v1/cases/{case_id}/referral-consents": {
            "get": _op("The person's answers about sharing their details",
                       _json(_list("ReferralConsent"), "answers"), params=_ID),
            "post": _op(
                "Ask the person, in their language, whether the named fields may go to the named "
                "partner (method message), or record their agreement given by phone (method phone, "
                "with a note)", _json(_ref("ReferralConsent"), "asked or recorded"),
                {"type": "object", "required": ["partner", "fields"], "properties": {
                    "partner": {"type": "string"},
                    "fields": {"type": "array", "minItems": 1, "items": {"enum": list(FIELDS)}},
                    "purpose": {"enum": list(PURPOSES)}, "method": {"enum": ["message", "phone"]},
                    "note": {"type": "string", "maxLength": CONSENT_NOTE}}},
                code="201", params=_ID)},
        "/api/v1/referrals": {"get": _op("Referrals I may read, newest first",
            _json(_list("Referral"), "referrals"),
            params=[{"name": "status", "in": "query", "schema": {"enum": list(STATUSES)}}])},
        "/api/v1/referrals/{referral_id}": {"get": _op(
            "One referral with what was shared (audited)", _json(_ref("Referral"), "the referral"),
            params=_RID)},
        "/api/v1/referrals/{referral_id}/sheet.pdf": {"get": {
            "summary": "The referral sheet as PDF, for partners who take paper (audited)",
            "parameters": _RID, "responses": {
                "200": {"description": "the sheet", "content": {"application/pdf": {"schema": {
                    "type": "string", "contentMediaType": "application/pdf"}}}}, **_ERRORS}}},
        "/api/v1/referrals/{referral_id}/sent": {"post": _op(
            "A paper referral was handed over: mark it sent (the person is told)",
            _json(_ref("Referral"), "the referral"), params=_RID)},
        "/api/v1/referrals/{referral_id}/notice-given": {"post": _op(
            "The person withdrew and this partner takes paper: record that they were told by hand "
            "to delete what they received", _json(_ref("Referral"), "the referral"), params=_RID)},
        "/api/v1/referrals/{referral_id}/answer": {"post": _op(
            "Record the partner's answer", _json(_ref("Referral"), "the referral"),
            {"type": "object", "required": ["status"], "properties": {
                "status": {"enum": ["acknowledged", "accepted", "declined"]},
                "note": {"type": "string", "maxLength": CONSENT_NOTE}}},
            params=_RID)},
        "/api/v1/stats": {"get": _op(
            "Anonymised figures (supervisors): counts per calendar month or ISO week, every count "
            "under k withheld (null) with enough others that none can be worked out from the totals",
            _json(_ref("Stats"), "the figures"), params=[
                {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"},
                 "description": "YYYY-MM-DD, widened to the start of its bucket; default: twelve buckets before to"},
                {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"},
                 "description": "YYYY-MM-DD, widened to the end of its bucket; default: today"},
                {"name": "by", "in": "query", "schema": {"enum": ["month", "week"]}},
                {"name": "round", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000},
                 "description": "round every figure to this base (default INTAKE_STATS_ROUND)"}])},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Intake assistant caseworker API", "version": "1"},
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "create one with `intake token create EMAIL [--scope read|act|supervise] "
                                           "[--days N]`; read looks, act claims, replies, notes and closes, "
                                           "supervise does what the caseworker's role allows (403 otherwise)"}},
            "schemas": schemas,
            "responses": {
                "Error": _json(_ref("Error"), "refused; detail says why"),
                "Unauthorised": _json(_ref("Error"), "no token, or an unknown, revoked or expired one"),
            },
        },
    }
