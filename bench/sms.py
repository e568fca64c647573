"""SMS cost: billed segments of a complete screening, per locale.

The simple ARVoRe case runs through the real pipeline on the ``sms`` channel in each supported
locale (the answers typed in that locale's words, as in tests/dialogs/test_screening.py). Every
outbound message the turns wrote (the outbox, so the handoff notice is counted too) is rendered
as the SMS channel sends it (text plus the numbered menu, split at Twilio's 1,600 characters) and
counted with channels.segments.count_segments (GSM-7 160/153, UCS-2 70/67).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bench.common import make_app, print_table, sqlite_url, temp_dir

# The simple case typed in each locale's own words, shared with the transcript tests.
from tests.dialogs.test_screening import PER_LOCALE

PT_TARGET = 22


def answers(yes: str, no: str, town: str, country: str, none: str) -> list[str]:
    return [yes, no, yes, town, country, no, yes, no, "1", "1", no, "1", no, no, no, none, "1"]


def run(context: dict[str, Any]) -> dict[str, Any]:
    import locales
    from channels.base import Inbound, Option, Outbound
    from channels.segments import count_segments, encoding
    from channels.twilio import SmsChannel
    from core.models import Conversation, Message, Outbox

    sms = SmsChannel("AC" + "0" * 32, "test-token", from_number="+351300000000")
    app = make_app(sqlite_url(temp_dir("sms")), temp_dir("sms-data"), channel="sms")
    results: dict[str, Any] = {}
    rows: list[tuple[str, Any, str]] = []
    known = {row[0] for row in PER_LOCALE}
    for i, (loc, yes, no, town, country, none) in enumerate(PER_LOCALE):
        address = f"+35191{i:07d}"
        app.pipeline.handle(Inbound(channel="sms", address=address, kind="start",
                                    meta={"language": loc}))
        for j, text in enumerate(answers(yes, no, town, country, none)):
            app.pipeline.handle(Inbound(channel="sms", address=address, text=text,
                                        provider_id=f"SMbench{i:03d}{j:03d}"))
        with app.db.sessions() as s:
            conv = s.scalars(select(Conversation).where(Conversation.channel == "sms")
                             .order_by(Conversation.id.desc()).limit(1)).one()
            sent = s.execute(select(Message.body, Message.kind, Outbox.options)
                             .join(Outbox, Outbox.message_id == Message.id)
                             .where(Message.conversation_id == conv.id, Message.direction == "out")
                             .order_by(Message.id)).all()
            finished = conv.state == "done" or conv.status == "handoff"
        total = longest_prompt = longest = 0
        ucs2 = 0
        for body, kind, options in sent:
            outbound = Outbound(channel="sms", address=address, text=body,
                                options=tuple(Option(o["label"], o["value"]) for o in options or []))
            parts = sms.render(outbound)
            segments = sum(count_segments(p) for p in parts)
            total += segments
            longest = max(longest, segments)
            if kind == "prompt":
                longest_prompt = max(longest_prompt, segments)
            ucs2 += any(encoding(p) == "UCS-2" for p in parts)
        p = f"sms.{loc}"
        results[f"{p}.segments_per_screening"] = total
        results[f"{p}.messages"] = len(sent)
        results[f"{p}.longest_prompt_segments"] = longest_prompt
        results[f"{p}.longest_message_segments"] = longest
        results[f"{p}.ucs2_messages"] = ucs2
        results[f"{p}.completed"] = finished
        note = f"{len(sent)} messages, {ucs2} in UCS-2, longest prompt {longest_prompt}, " \
               f"longest message {longest}" + ("" if finished else "; DID NOT COMPLETE")
        if loc == "pt":
            note += f" (target <= {PT_TARGET} segments, no prompt over 2)"
        rows.append((f"{p}.segments_per_screening", total, note))
    missing = [loc for loc in locales.SUPPORTED if loc not in known]
    if missing:
        results["sms.locales_not_measured"] = missing
    app.db.dispose()
    print_table("sms: billed segments of the simple ARVoRe screening", rows)
    return results
