"""Prometheus metrics of the process (served at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

TURNS = Counter("intake_turns_total", "Inbound messages processed", ["channel"])
DUPLICATES = Counter("intake_duplicates_total", "Inbound messages dropped as duplicates")
TURN_SECONDS = Histogram(
    "intake_turn_seconds",
    "Time to process one inbound message, commit included",
    buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
)
SENT = Counter("intake_outbox_sent_total", "Messages delivered to a provider", ["channel"])
RETRIED = Counter("intake_outbox_retries_total", "Delivery attempts that will be retried", ["channel", "reason"])
FAILED = Counter("intake_outbox_failed_total", "Messages that could not be delivered", ["channel", "reason"])
