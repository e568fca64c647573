"""The ``intake`` command: serve, worker, chat, db, flows, locales, caseworker, token, stats, demo."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Callable, Sequence

from bot import settings as settings_module
from bot.settings import Settings
from channels import registry
from channels.base import ChannelError

__all__ = ["main"]

log = logging.getLogger("intake")


def _settings() -> Settings:
    return settings_module.load_or_exit()


KEEP_ALIVE_SECONDS = 75


def settle_heap(*, load_models: bool) -> None:
    """Ready a long-running process before its first request.

    The language models are loaded now rather than on the first person's message (~2 s).
    Then everything start-up allocated (modules, models, catalogs, the app) is frozen out of
    the garbage collector's reach: a full collection walked those ~150k objects for ~60 ms
    with every thread stopped, which under steady load was the webhook's p99 (bench/webhook.py).
    """
    if load_models:
        import locales

        locales.preload()
    gc.collect()
    gc.freeze()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.app import build
    from bot.web import create_app

    app = build(_settings())
    settle_heap(load_models=True)
    # Keep idle connections open longer than a client or proxy keeps them (commonly 60 s):
    # with uvicorn's 5 s the server sometimes closed a connection just as a provider reused it,
    # and that request failed on the wire (bench/webhook.py counted it).
    uvicorn.run(create_app(app), host=args.host, port=args.port, log_level="info", access_log=False,
                timeout_keep_alive=KEEP_ALIVE_SECONDS)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from bot.app import build

    app = build(_settings())
    settle_heap(load_models=False)  # the worker delivers and keeps time: no language to detect

    async def run() -> None:
        import threading

        from core import wakeup

        stop = asyncio.Event()
        stopped = threading.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        # Wake at once when the web process commits outbox rows, instead of polling slowly.
        wakeup.watch(app.db, app.sender.wake, stopped)
        from bot.worker import close_channels, jobs, start_channels

        await start_channels(app)
        log.info("worker started")
        try:
            await asyncio.gather(*jobs(app, stop))
        finally:
            stopped.set()
            await close_channels(app)

    asyncio.run(run())
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot import migrate
    from core.db import Database

    settings = _settings()
    db = Database(settings.database_url, settings.keys)
    migrate.upgrade(db.engine)
    print("database is up to date")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    return run_chat(_settings(), style=args.channel, language=args.lang, user=args.user)


def cmd_flows_check(args: argparse.Namespace) -> int:
    import locales
    from dialogs.engine import check_flows

    english = locales.translator("en")
    problems = check_flows(has_translation=lambda msgid: _translated_everywhere(msgid, english))
    _print_return_safety()
    for problem in problems:
        print(problem)
    print(f"flows: {len(problems)} problem(s)" if problems else "flows: ok")
    return 1 if problems else 0


def _print_return_safety() -> None:
    """The return-safety list as the rules read it, so a reviewer sees what is in force."""
    from dialogs import return_safety
    from dialogs.rules import RULES_VERSION

    listed = return_safety.RETURN_SAFETY.entries
    print(f"return safety: {len(listed)} destination(s), rules version {RULES_VERSION}")
    for e in listed:
        where = f"{e.country} ({e.region})" if e.region else e.country
        state = "confirmed" if e.verified else "to confirm"
        print(f"  {where}: {e.basis or '?'}; {e.source or 'no source'}; "
              f"reviewed {e.last_reviewed or 'never'}; {state}")


def _translated_everywhere(msgid: str, _english: object) -> bool:
    import locales

    return all(locales.translator(code).has(msgid) for code in locales.SUPPORTED if code != "en")


def cmd_flows_graph(args: argparse.Namespace) -> int:
    from dialogs.engine import diagram_path, graph

    text = graph(args.flow, args.format)
    if args.write:
        path = diagram_path(args.flow) if args.format == "mermaid" else diagram_path(args.flow).with_suffix(".svg")
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_locales_extract(args: argparse.Namespace) -> int:
    from bot.catalogs import TEMPLATE, write_template

    catalog = write_template()
    print(f"{len(catalog)} messages -> {TEMPLATE}")
    return 0


def cmd_locales_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.catalogs import check

    problems = check(Path(args.dir) if args.dir else None)
    for problem in problems:
        print(problem)
    print(f"locales: {len(problems)} problem(s)" if problems else "locales: ok")
    return 1 if problems else 0


def cmd_webhooks_set(args: argparse.Namespace) -> int:
    """Tell each enabled provider that registers webhooks by API where ours are."""
    settings = _settings()
    channels = registry.enabled(settings)
    public_url = args.url or settings.public_url

    async def register() -> list[str]:
        done = []
        for channel in channels.values():
            await channel.start()
            try:
                said = await channel.register(public_url, delete=args.delete)
            finally:
                await channel.close()
            if said:
                done.append(said)
        return done

    try:
        done = asyncio.run(register())
    except ChannelError as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return 2
    print("\n".join(done) if done else "no enabled channel registers webhooks by API")
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from bot.keys import rotate
    from core.db import Database

    settings = _settings()
    db = Database(settings.database_url, settings.keys)
    count = rotate(db)
    print(f"re-encrypted {count} rows under the first key of INTAKE_ENCRYPTION_KEYS")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="web app: webhooks, web chat, console, API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="outbox sender and timers")
    worker.set_defaults(func=cmd_worker)

    chat = sub.add_parser("chat", help="talk to the bot in the terminal")
    chat.add_argument("--channel", choices=registry.NAMES, default=registry.NAMES[0])
    chat.add_argument("--lang", default=None, help="a locale code such as pt_BR")
    chat.add_argument("--user", default="local", help="who you are; the same name resumes")
    chat.set_defaults(func=cmd_chat)

    db = sub.add_parser("db", help="database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="migrate to the latest schema").set_defaults(func=cmd_db_upgrade)

    flows = sub.add_parser("flows", help="conversation flows")
    flows_sub = flows.add_subparsers(dest="flows_command", required=True)
    flows_sub.add_parser("check", help="validate every flow and its translations").set_defaults(
        func=cmd_flows_check
    )
    graph = flows_sub.add_parser("graph", help="draw a flow")
    graph.add_argument("--format", choices=("mermaid", "svg"), default="mermaid")
    graph.add_argument("--flow", default="screening")
    graph.add_argument("--write", action="store_true", help="write it beside the flow")
    graph.set_defaults(func=cmd_flows_graph)

    loc = sub.add_parser("locales", help="translation catalogs")
    loc_sub = loc.add_subparsers(dest="locales_command", required=True)
    check = loc_sub.add_parser("check", help="catalogs complete, in step with the code, SMS-sized")
    check.add_argument("--dir", default=None, help="another catalog folder (for testing)")
    check.set_defaults(func=cmd_locales_check)
    loc_sub.add_parser("extract", help="rewrite locales/messages.pot from the code").set_defaults(
        func=cmd_locales_extract
    )

    keys = sub.add_parser("keys", help="encryption keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_sub.add_parser("rotate", help="re-encrypt everything under the first key").set_defaults(
        func=cmd_keys_rotate
    )

    hooks = sub.add_parser("webhooks", help="provider webhooks")
    hooks_sub = hooks.add_subparsers(dest="webhooks_command", required=True)
    hook = hooks_sub.add_parser("set", help="register our webhooks with the providers that need it")
    hook.add_argument("--url", default=None, help="public base URL; default: INTAKE_PUBLIC_URL")
    hook.add_argument("--delete", action="store_true", help="remove them (for long polling)")
    hook.set_defaults(func=cmd_webhooks_set)

    from bot import caseworkers

    caseworkers.register(sub)
    from bot import partners

    partners.register(sub)
    from bot import demo, stats

    stats.register(sub)
    demo.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from core import logs

    args = build_parser().parse_args(argv)
    # JSON lines in production (for a log collector), readable lines on a developer's screen.
    try:
        production = settings_module.environment() == "production"
    except settings_module.SettingsError:
        production = False  # the command itself reports the wrong setting
    logs.setup(json_lines=production)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)


if __name__ == "__main__":
    raise SystemExit(main())
