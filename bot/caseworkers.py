"""The caseworker commands of ``intake``: accounts, API tokens and the demo supervisor.

    intake caseworker add EMAIL --name N --role caseworker|supervisor|admin --languages pt,en
    intake caseworker seed-demo        (idempotent; prints the credentials only when it creates)
    intake token create EMAIL          (the token alone on the last line)
    intake token revoke TOKEN_ID
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from typing import Any

__all__ = ["DEMO_EMAIL", "register"]

DEMO_EMAIL = "demo@intake.local"


def _database() -> Any:
    from bot.settings import load_or_exit
    from core.db import Database

    settings = load_or_exit()
    return Database(settings.database_url, settings.keys)


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat the password: "):
        print("intake: the passwords differ", file=sys.stderr)
        raise SystemExit(2)
    return first


def cmd_add(args: argparse.Namespace) -> int:
    from handoff import auth
    from handoff.errors import Invalid

    password = _read_password()
    db = _database()
    try:
        with db.transaction() as s:
            cw = auth.add_caseworker(s, args.email, args.name or "", args.role,
                                     args.languages.split(","), password)
            print(f"caseworker {cw.email} ({cw.role}, speaks {', '.join(cw.languages)}) added")
    except Invalid as exc:
        print(f"intake: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from bot.settings import load_or_exit
    from handoff import auth

    settings = load_or_exit()
    if settings.production:
        print("intake: the demo supervisor is for trying the project out; production refuses it "
              "(add real accounts with `intake caseworker add`)", file=sys.stderr)
        return 2
    base = settings.public_url or args.url
    db = _database()
    try:
        with db.transaction() as s:
            if auth.find_by_email(s, DEMO_EMAIL) is not None:
                print(f"demo supervisor {DEMO_EMAIL} exists (its password was printed when it was created)")
                return 0
            password = secrets.token_urlsafe(12)
            auth.add_caseworker(s, DEMO_EMAIL, "Demo supervisor", "supervisor", ["pt", "en"], password)
    finally:
        db.dispose()
    print("demo supervisor created; these credentials are shown only this once:")
    print(f"  console:  {base}/console/")
    print(f"  email:    {DEMO_EMAIL}")
    print(f"  password: {password}")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from handoff import auth

    db = _database()
    try:
        with db.transaction() as s:
            cw = auth.find_by_email(s, args.email)
            if cw is None:
                print(f"intake: no caseworker {args.email}", file=sys.stderr)
                return 2
            row, value = auth.create_token(s, cw, scope=args.scope, days=args.days)
    finally:
        db.dispose()
    until = f"expires in {args.days} days" if args.days else "never expires"
    print(f"token {row.id} for {args.email}, scope {args.scope}, {until} (stored hashed; shown only now):")
    print(value)
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from core.db import utcnow
    from handoff import auth

    db = _database()
    try:
        with db.transaction() as s:
            done = auth.revoke_token(s, args.token_id, utcnow())
    finally:
        db.dispose()
    print(f"token {args.token_id} revoked" if done else f"token {args.token_id} unknown or already revoked")
    return 0 if done else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``caseworker`` and ``token`` sub-commands to the ``intake`` parser."""
    cw = sub.add_parser("caseworker", help="caseworker accounts")
    cw_sub = cw.add_subparsers(dest="caseworker_command", required=True)
    add = cw_sub.add_parser("add", help="add an account (password from stdin or prompted)")
    add.add_argument("email")
    add.add_argument("--name", default="")
    add.add_argument("--role", choices=("caseworker", "supervisor", "admin"), default="caseworker")
    add.add_argument("--languages", default="pt", help="languages spoken, e.g. pt,en,uk")
    add.set_defaults(func=cmd_add)
    demo = cw_sub.add_parser("seed-demo", help="create the demo supervisor once")
    demo.add_argument("--url", default="http://127.0.0.1:8000",
                      help="where the app will be served, for the console address printed "
                           "(INTAKE_PUBLIC_URL wins when set)")
    demo.set_defaults(func=cmd_seed_demo)

    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="print a new API token for a caseworker")
    create.add_argument("email")
    create.add_argument("--scope", choices=("read", "act", "supervise"), default="supervise",
                        help="read: look; act: claim, reply, note, close; supervise: everything "
                        "the caseworker's role allows (default)")
    create.add_argument("--days", type=int, default=90, help="days until it expires; 0: never (default 90)")
    create.set_defaults(func=cmd_token_create)
    revoke = token_sub.add_parser("revoke", help="revoke an API token by its id")
    revoke.add_argument("token_id", type=int)
    revoke.set_defaults(func=cmd_token_revoke)
