"""`klantreis`: the operator's command line (database, data, training, running the bot)."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings, SettingsError

DEMO_DIR = PROJECT_ROOT / "data" / "demo"
TRAINING_PATHS = ("data/nlu", "data/rules", "data/stories")


class CommandError(Exception):
    """Stops a command with a message for the operator and exit code 1."""


def _say(message: str) -> None:
    print(message, flush=True)


def _engine(settings: Settings, *, require_schema: bool = True):  # type: ignore[no-untyped-def]
    from bot.store.access import connect, require_current_schema

    engine = connect(settings.database_url)
    if require_schema:
        require_current_schema(engine)
    return engine


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> None:
    from bot.store.access import migrate_to_head

    engine = _engine(settings, require_schema=False)
    before, after = migrate_to_head(engine)
    safe = engine.url.render_as_string(hide_password=True)
    if before == after:
        _say(f"Database {safe} is up to date (schema {after}).")
    else:
        _say(f"Database {safe} migrated from schema {before or 'empty'} to {after}.")


def _import(
    settings: Settings, folder: Path, shift: dt.timedelta, *, replace_history: bool = False
) -> None:
    from tqdm import tqdm

    from bot.importer import import_folder
    from bot.nlu.patterns import write_patterns
    from bot.store.db import make_session_factory

    engine = _engine(settings)
    bars: dict[str, tqdm] = {}

    def progress(kind: str, done: int, total: int) -> None:
        bar = bars.get(kind)
        if bar is None:
            bar = bars[kind] = tqdm(total=total, desc=f"{kind:>16}", unit=" rows", leave=True)
        bar.update(done - bar.n)
        if done == total:
            bar.close()

    started = time.perf_counter()
    with make_session_factory(engine)() as session, session.begin():
        report = import_folder(
            session=session,
            folder=folder,
            shift=shift,
            progress=progress,
            replace_history=replace_history,
        )
    for line in report.lines():
        _say(f"  {line}")
    _say(f"Imported {folder} in {time.perf_counter() - started:.1f}s.")
    with make_session_factory(engine)() as session:
        path, count = write_patterns(session=session, path=settings.patterns_file)
    _say(f"Product recogniser updated: {count} patterns in {path}.")


def cmd_import(settings: Settings, args: argparse.Namespace) -> None:
    _import(
        settings,
        Path(args.folder),
        dt.timedelta(days=args.shift_days),
        replace_history=args.replace_history,
    )
    _scan_after_import(settings)
    from bot.suggestions.cli import release_back_in_stock

    queued = release_back_in_stock(engine=_engine(settings))
    _say(f"Back in stock: {queued} notice(s) queued.")


def cmd_report(settings: Settings, args: argparse.Namespace) -> None:
    from bot.suggestions.cli import report

    report(settings, args, engine=_engine(settings), say=_say)


def cmd_suggestions(settings: Settings, _args: argparse.Namespace) -> None:
    from bot.suggestions.cli import lifecycle

    lifecycle(settings, engine=_engine(settings), say=_say)


def demo_shift(folder: Path = DEMO_DIR, today: dt.date | None = None) -> dt.timedelta:
    """Days between the demo's anchor date and today, so its dates stay current."""
    import yaml

    manifest = yaml.safe_load((folder / "manifest.yml").read_text(encoding="utf-8"))
    anchor = manifest["anchor_date"]
    anchor = anchor if isinstance(anchor, dt.date) else dt.date.fromisoformat(str(anchor))
    return dt.timedelta(days=((today or dt.date.today()) - anchor).days)


def cmd_demo(settings: Settings, args: argparse.Namespace) -> None:
    shift = demo_shift()
    _say(f"Loading the demo shop, dates moved {shift.days} day(s) forward.")
    _import(settings, DEMO_DIR, shift, replace_history=True)
    _scan_after_import(settings)
    _schedule_demo_notices(settings, getattr(args, "notice_after", None))


def _scan_after_import(settings: Settings) -> None:
    """Imported shipments and events go through the same delay rules as the carrier webhook."""
    from bot.delays.policy import load_delay_policy
    from bot.delays.worker import scan_once
    from bot.store.db import make_session_factory
    from bot.store.units import Store

    report = scan_once(
        Store(make_session_factory(_engine(settings))), load_delay_policy(settings.retailer_file)
    )
    _say(f"Delay scan: {report.line()}.")


def _schedule_demo_notices(settings: Settings, after_seconds: float | None) -> None:
    """The demo log-ins' delay notices go out `after_seconds` from now (see bot/delays/demo.py)."""
    from bot.delays import demo
    from bot.delays.policy import load_delay_policy
    from bot.services.demo import DEMO_CUSTOMERS
    from bot.store.db import make_session_factory
    from bot.store.models import utcnow

    after = demo.NOTICE_AFTER_SECONDS if after_seconds is None else after_seconds
    due = utcnow() + dt.timedelta(seconds=after)
    with make_session_factory(_engine(settings))() as session, session.begin():
        scheduled = demo.schedule_demo_notices(session, customer_refs=DEMO_CUSTOMERS, due=due)
    _say(demo.describe(scheduled, load_delay_policy(settings.retailer_file).zone))


def cmd_patterns(settings: Settings, _args: argparse.Namespace) -> None:
    from bot.nlu.patterns import write_patterns
    from bot.store.db import make_session_factory

    with make_session_factory(_engine(settings))() as session:
        path, count = write_patterns(session=session, path=settings.patterns_file)
    _say(f"Product recogniser updated: {count} patterns in {path}.")


def train(settings: Settings, *, force: bool = False) -> None:
    """Train when the model on disk is not the model of this checkout (or when forced).

    The check is our own fingerprint (bot/model_fingerprint.py), so an unchanged checkout
    starts without running Rasa at all."""
    from bot import model_fingerprint
    from bot.stack import child_env

    if not force:
        model = model_fingerprint.current_model(settings.models_dir)
        if model is not None:
            _say(f"Model up to date: {model.name}.")
            return
    command = [
        sys.executable,
        "-m",
        "bot.rasa_server",
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--out",
        str(settings.models_dir),
        "--data",
        *TRAINING_PATHS,
    ]
    if force:
        command.append("--force")
    _say("Training the model (a minute or two; Rasa reuses what it trained before)…")
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=child_env(settings))
    if result.returncode != 0:
        raise CommandError("Training failed; the messages above say which file to fix.")
    model_fingerprint.record(settings.models_dir)
    _say(f"Model ready in {time.perf_counter() - started:.0f}s.")


def cmd_train(settings: Settings, args: argparse.Namespace) -> None:
    train(settings, force=args.force)


def _store_is_empty(settings: Settings) -> bool:
    from sqlalchemy import func, select

    from bot.store.db import make_session_factory
    from bot.store.models import Product

    with make_session_factory(_engine(settings))() as session:
        return session.execute(select(func.count(Product.id))).scalar_one() == 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> None:
    from bot.stack import running_stack

    cmd_migrate(settings, args)
    if args.no_demo:  # no demo log-ins on the demo page either
        settings = dataclasses.replace(settings, demo_logins=False)
    demo_loaded = _store_is_empty(settings) and not args.no_demo
    if demo_loaded:
        cmd_demo(settings, args)
    train(settings)
    if demo_loaded:  # counted from now: training may have taken minutes
        _schedule_demo_notices(settings, None)
    from bot.agent_cli import ensure_demo_agents

    logins = ensure_demo_agents(settings)
    _register_telegram_webhook(settings)
    _say("Starting the action server, the web services and Rasa (about half a minute)…")
    # `kill` (SIGTERM) stops the bot as cleanly as Ctrl-C: the processes it started stop too.
    signal.signal(signal.SIGTERM, _interrupt)
    # A crashed process is restarted (bot/supervisor.py); the lines about it go here too.
    with running_stack(settings, say=_say, delays_worker=True) as stack:
        _say(
            "\nKlantreis is running.\n"
            f"  Demo shop with the chat widget: {stack.web_url}/\n"
            f"  Agent console:                  {stack.web_url}/agent/"
            + (f"  (demo log-ins: {logins})\n" if logins else "\n")
            + f"  REST channel: POST {stack.rasa_url}/webhooks/rest/webhook "
            '{"sender": "me", "message": "hoi"}\n'
            f"  Logs:         {settings.runtime_dir / 'logs'}\n"
            "  Stop with Ctrl-C."
        )
        try:
            while stack.supervisor.failure is None:
                time.sleep(1)
        except KeyboardInterrupt:
            _say("\nStopping…")
            return
        raise CommandError(stack.supervisor.failure)


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    """Become one of the bot's processes, in the foreground with its log on stdout: what a
    systemd unit or a container runs, each restarted by that supervisor (docs/deployment.md)."""
    from bot.stack import action_server_command, child_env, child_specs

    env = child_env(settings)
    if args.process == "actions":
        command = action_server_command(settings)
    elif args.process == "web":
        command = [sys.executable, "-m", "bot.services"]
    else:  # Rasa needs its endpoints, credentials and the catalogue's patterns written first
        command = next(s for s in child_specs(settings, env) if s.name == "The Rasa server").command
    sys.stdout.flush()
    os.chdir(PROJECT_ROOT)
    os.execve(command[0], command, env)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _register_telegram_webhook(settings: Settings) -> None:
    """With TELEGRAM_MODE=webhook and KLANTREIS_PUBLIC_URL set, tell Telegram where to post.

    The channel's own command does it (in a child process: bot/ does not import connectors/);
    a failure is reported there and the bot still starts."""
    if not settings.telegram.bot_token:
        return
    from bot.stack import child_env

    subprocess.run(
        [sys.executable, "-m", "connectors.telegram.webhook_setup", "--if-webhook"],
        cwd=PROJECT_ROOT,
        env=child_env(settings),
    )


def cmd_shell(settings: Settings, _args: argparse.Namespace) -> None:
    from bot.rasa_config import write_endpoints
    from bot.stack import _spawn, _stop, action_server_command, child_env, latest_model

    endpoints = write_endpoints(settings)
    env = child_env(settings)
    logs = settings.runtime_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    actions = _spawn(action_server_command(settings), env, logs / "actions.log")
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bot.rasa_server",
                "shell",
                "--model",
                str(latest_model(settings.models_dir)),
                "--endpoints",
                str(endpoints),
            ],
            cwd=PROJECT_ROOT,
            env=env,
        )
    finally:
        _stop(actions)


def cmd_agent(settings: Settings, args: argparse.Namespace) -> None:
    from bot.agent_cli import AgentCommandError, run

    try:
        run(settings, args)
    except AgentCommandError as exc:
        raise CommandError(str(exc)) from None


def cmd_notify(settings: Settings, args: argparse.Namespace) -> None:
    from bot.delays.cli import OutboxCommandError, notify

    try:
        notify(settings, args, engine=_engine(settings), say=_say)
    except OutboxCommandError as exc:
        raise CommandError(str(exc)) from None


def cmd_delays(settings: Settings, args: argparse.Namespace) -> None:
    from bot.delays.cli import delays

    delays(settings, args, engine=_engine(settings), say=_say)


COMMANDS: dict[str, tuple[Callable[[Settings, argparse.Namespace], None], str]] = {
    "migrate": (cmd_migrate, "create or upgrade the database schema"),
    "import": (cmd_import, "import a retailer's data folder (see docs/data-format.md)"),
    "demo": (cmd_demo, "load the Trek & Peddel demo shop"),
    "patterns": (cmd_patterns, "rebuild the product recogniser from the catalogue"),
    "train": (cmd_train, "train the Rasa model when training data changed"),
    "run": (cmd_run, "set up what is missing and run Rasa and the action server"),
    "serve": (cmd_serve, "run one process (rasa, actions or web) for systemd or a container"),
    "shell": (cmd_shell, "chat with the bot in the terminal (rasa shell)"),
    "agent": (cmd_agent, "agent-console accounts: add, list, disable"),
    "notify": (cmd_notify, "send a proactive message (an intent) into a channel conversation"),
    "delays": (cmd_delays, "delivery delays: `scan` once, or `work` (an outbox worker)"),
    "suggestions": (cmd_suggestions, "queue `lifecycle` offers (marketing consent only)"),
    "report": (cmd_report, "figures: `suggestions` (shown, accepted, conversion, revenue)"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="klantreis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_func, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if name == "import":
            command.add_argument("folder", help="folder with products.csv, orders.csv, …")
            command.add_argument("--shift-days", type=int, default=0, help=argparse.SUPPRESS)
            command.add_argument(
                "--replace-history",
                action="store_true",
                help="the file holds each parcel's whole event history: drop events not in it",
            )
        if name == "train":
            command.add_argument("--force", action="store_true", help="retrain even if unchanged")
        if name == "agent":
            from bot.agent_cli import add_arguments

            add_arguments(command)
        if name == "notify":
            command.add_argument("conversation", help="e.g. whatsapp:+31612345678 or web:<id>")
            command.add_argument("intent", help="the intent to trigger, e.g. greet")
            command.add_argument("--entity", action="append", default=[], help="name=value")
            command.add_argument(
                "--key", default="", help="dedup key (default: from conversation, intent, entities)"
            )
        if name == "delays":
            command.add_argument("action", choices=("scan", "work"))
            command.add_argument("--scan", action="store_true", help="work: also scan periodically")
        if name == "suggestions":
            command.add_argument("action", choices=("lifecycle",))
        if name == "report":
            command.add_argument("subject", choices=("suggestions",))
            command.add_argument(
                "--days", type=int, default=0, help="only suggestions of the last DAYS days"
            )
        if name == "run":
            command.add_argument("--no-demo", action="store_true", help="do not load demo data")
        if name == "demo":
            command.add_argument(
                "--notice-after",
                type=float,
                default=None,
                metavar="SECONDS",
                help="when the demo log-ins' delay notices go out (default: 180 s from now)",
            )
        if name == "serve":
            command.add_argument("process", choices=("rasa", "actions", "web"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from bot import third_party_warnings
    from bot.importer import ImportRowError
    from bot.stack import StackError
    from bot.store.db import StoreConfigError

    third_party_warnings.install()
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"klantreis: {exc}", file=sys.stderr)
        return 2
    try:
        COMMANDS[args.command][0](settings, args)
    except ImportRowError as exc:
        print(f"Import stopped, nothing was written: {exc}", file=sys.stderr)
        return 1
    except (CommandError, StoreConfigError, StackError) as exc:
        print(f"klantreis {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
