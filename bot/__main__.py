"""The `dondoc` command line: run, demo, console, import, export, status, invite, jobs,
run-job, outbox, db upgrade."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from bot.logs import configure_logging, install_secret, install_token, redact, redacted_output
from bot.settings import SettingsError, load_settings

EXIT_FAILED, EXIT_USAGE = 1, 2


def parser() -> argparse.ArgumentParser:
    """Arguments of every subcommand."""
    p = argparse.ArgumentParser(prog="dondoc", description="Follow up committee tasks.")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (long polling, or a webhook server)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve a webhook (DONDOC_WEBHOOK_*) instead of polling: for several processes",
    )
    sub.add_parser("demo", help="chat with the bot in the terminal on demo data")
    sub.add_parser("console", help="chat with the bot in the terminal on the configured database")
    imp = sub.add_parser("import", help="import a task register (.xlsx or .csv)")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    imp.add_argument(
        "--add-agencies",
        action="store_true",
        help="add agencies the file names but dondoc does not know, as other units "
        "(check with --dry-run first: it lists them)",
    )
    imp.add_argument(
        "--overwrite-chat-updates",
        action="store_true",
        help="write the file's values over fields changed in chat since the previous import "
        "(by default they are kept; the summary lists them either way)",
    )
    st = sub.add_parser("status", help="print a status report")
    st.add_argument("query", nargs="?", default="", help="agency or program (default: all)")
    st.add_argument("--program", default="", help="limit to one program")
    st.add_argument("--by", choices=["agency"], help="one line per agency")
    st.add_argument("--json", action="store_true", help="print JSON")
    st.add_argument("--lang", choices=["vi", "en"], help="language of the text report")
    exp = sub.add_parser(
        "export", help="write the register as an xlsx: summary, overdue list, every task"
    )
    exp.add_argument("file", help="the .xlsx to write (replaced once complete)")
    exp.add_argument("--program", default="", help="only this programme's tasks")
    exp.add_argument("--agency", default="", help="only the tasks this agency leads")
    exp.add_argument("--lang", choices=["vi", "en"], help="language of the sheets and headers")
    inv = sub.add_parser(
        "invite", help="print one-time invite links for agencies' focal points (valid 7 days)"
    )
    inv.add_argument("agencies", nargs="*", metavar="AGENCY", help="agency names or codes")
    inv.add_argument("--all", action="store_true", help="one link for every agency")
    inv.add_argument("--csv", action="store_true", help="print CSV: code,name,link,expires")
    inv.add_argument("--lang", choices=["vi", "en"], help="language of names and messages")
    sub.add_parser("jobs", help="list the scheduled jobs and their next run")
    rj = sub.add_parser(
        "run-job", help="run one job now (or as of --at), then send what is queued"
    )
    rj.add_argument("name", metavar="NAME", help="the job (see `dondoc jobs`)")
    rj.add_argument("--at", help='as if it were this local time: "YYYY-MM-DD HH:MM"')
    ob = sub.add_parser("outbox", help="list the queued messages and what became of them")
    ob.add_argument("--status", choices=["pending", "sent", "failed", "blocked"])
    ob.add_argument("--json", action="store_true", help="print JSON")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"])
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dondoc` console script."""
    args = parser().parse_args(argv)
    # Everything dondoc prints, a library logs or the interpreter reports goes through the
    # token redactor, for the whole run: the one-line errors below included.
    with redacted_output():
        try:
            return _main(args)
        except Exception:  # a bug: its traceback, masked, then the interpreter's exit code
            sys.stderr.write(redact(traceback.format_exc()))
            return EXIT_FAILED


def _main(args: argparse.Namespace) -> int:
    try:
        # An invite link names the bot: `dondoc invite` asks Telegram (getMe) with the token.
        # `run-job` sends what it queued.
        settings = load_settings(
            require_token=args.command in ("run", "invite", "run-job"),
            webhook=args.command == "run" and args.webhook,
        )
    except SettingsError as exc:
        sys.stderr.write(f"dondoc: {redact(str(exc))}\n")
        return EXIT_USAGE
    if settings.telegram_bot_token is not None:
        install_token(settings.telegram_bot_token.get_secret_value())
    if settings.webhook_secret is not None:
        install_secret(settings.webhook_secret.get_secret_value())
    from bot import cli  # after settings: `dondoc --help` and bad settings stay instant

    configure_logging()
    try:
        return cli.dispatch(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `dondoc status --by agency | head`: the reader has had enough
        # Point stdout at /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a process ended by SIGPIPE
    except Exception as exc:  # one line for what the operator can fix; the rest is a bug
        problem = cli.explain_startup_error(exc, settings)
        if problem is None:
            raise
        sys.stderr.write(f"dondoc: {redact(problem)}\n")
        return cli.exit_code_of(exc)


if __name__ == "__main__":
    sys.exit(main())
