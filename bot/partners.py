"""``intake partners check``: the referral partner directory, validated before anyone relies on it."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def cmd_partners_check(args: argparse.Namespace) -> int:
    from bot import settings as settings_module
    from handoff.referrals.partners import SEED, parse, problems, read

    path = Path(args.file) if args.file else None
    if path is None:
        try:
            path = settings_module.load().partners_file
        except settings_module.SettingsError:
            path = None
    path = path or SEED
    try:
        raw = read(path)
    except (OSError, ValueError) as exc:
        print(f"{path}: {exc}")
        return 1
    errors, warnings = problems(raw)
    for line in errors:
        print(f"error: {line}")
    for line in warnings:
        print(f"warning: {line}")
    if errors:
        print(f"partners: {len(errors)} error(s) in {path}")
        return 1
    directory = parse(raw)
    unverified = sum(not p.verified for p in directory)
    print(f"partners: ok ({len(directory)} in {path}; {unverified} not yet verified with the partner)")
    return 2 if args.strict and warnings else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    partners = sub.add_parser("partners", help="the referral partner directory")
    partners_sub = partners.add_subparsers(dest="partners_command", required=True)
    check = partners_sub.add_parser("check", help="validate the directory (INTAKE_PARTNERS_FILE or the seed)")
    check.add_argument("--file", default=None, help="a directory file to check instead")
    check.add_argument("--strict", action="store_true",
                       help="exit 2 on warnings too (unverified or stale entries): for a launch check")
    check.set_defaults(func=cmd_partners_check)
