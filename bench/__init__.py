"""Benchmarks of the intake assistant (issue 8): not timed tests, measurements.

``python -m bench`` runs every part and ``python -m bench engine|peers|webhook|queue|sms|stats`` one
of them. Each part prints a table and writes ``bench/results/<part>.json``; a full run also
writes ``bench/results/all.json``. Keys name each figure plainly (``engine.sqlite.turns_per_s``,
``peers.ptb_none.turns_per_s``, ``webhook.p99_ms`` ...).

Absolute numbers move ±20-40% between runs on a shared 2-core machine; the ratios measured in
the same run (``ratio.*``) are what to compare against the targets.
"""
