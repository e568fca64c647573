"""Run a fake provider in the foreground for a demo without credentials.

    python -m channels.fakes telegram --port 8081   # TELEGRAM_API_BASE_URL=http://127.0.0.1:8081/bot
    python -m channels.fakes twilio --port 8082     # TWILIO_API_BASE_URL=http://127.0.0.1:8082
"""

from __future__ import annotations

import argparse

import uvicorn

from channels.fakes.telegram_api import FakeTelegramAPI
from channels.fakes.twilio_api import FakeTwilioAPI


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m channels.fakes", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("provider", choices=["telegram", "twilio"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--account-sid", default="AC" + "0" * 32, help="twilio only")
    parser.add_argument("--auth-token", default="test-token", help="twilio only")
    args = parser.parse_args(argv)
    if args.provider == "telegram":
        app = FakeTelegramAPI().app
    else:
        app = FakeTwilioAPI(args.account_sid, args.auth_token).app
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
