"""The `satupintu` command.

satupintu demo [--no-serve] [--port 8000]   migrate, load the demo data, serve with a worker
satupintu serve [--bind 127.0.0.1:8000]     run the web server (gunicorn)
satupintu worker [--sweep-minutes 15]       run the background task worker (and the sweep)
satupintu sweep                             remind and escalate due cases, complaints and data
                                            requests, apply the retention rules, once (cron)
satupintu catalog validate DIR              check a definitions folder
satupintu catalog load [DIR]                load a definitions folder (default: the setting)
satupintu backup [--output DIR]              archive the database and uploaded files
satupintu restore FILE [--force]            restore an archive (then migrate)
satupintu bench seed --scale S             synthetic data at scale S (1 = full) for benchmarks
satupintu bench run                         the benchmark: gunicorn, load, report
satupintu manage ARGS…                      any Django management command
"""

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path


def _setup(*, demo: bool = False) -> None:
    if demo:
        os.environ["SATUPINTU_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def cmd_catalog_validate(args) -> int:
    _setup()
    from satupintu.catalog.services import catalog_validate

    catalogue = catalog_validate(directory=args.directory)
    for problem in sorted(catalogue.problems):
        print(problem)
    count = len(catalogue.problems)
    if count:
        print(
            f"{count} problem{'s' if count != 1 else ''} in {catalogue.file_count} files.",
            file=sys.stderr,
        )
        return 1
    print(
        f"{catalogue.file_count} files are valid: {len(catalogue.services)} services, "
        f"{len(catalogue.life_events)} life events."
    )
    return 0


def cmd_catalog_load(args) -> int:
    _setup()
    from django.conf import settings

    from satupintu.catalog.services import DefinitionError, catalog_load

    directory = args.directory or settings.SATUPINTU_CATALOG_DIR
    try:
        report = catalog_load(directory=directory)
    except DefinitionError as exc:
        for line in exc.errors:
            print(line)
        print(exc.detail, file=sys.stderr)
        return 1
    print(report)
    return 0


def cmd_demo(args) -> int:
    _setup(demo=True)
    from django.conf import settings
    from django.utils import translation

    from satupintu.demo.people import DEMO_PASSWORD, demo_load

    print("Preparing the database…", flush=True)
    _manage("migrate", "--no-input", "-v", "0")
    print("Loading the example catalogue and the demo people…", flush=True)
    with translation.override("en"):  # the terminal speaks English; the site, Indonesian first
        logins = demo_load(catalog_dir=settings.SATUPINTU_CATALOG_DIR)
    if args.no_serve:
        print("Demo data loaded.")
        return 0
    address = f"http://127.0.0.1:{args.port}/"
    print()
    print(f"Satupintu is running at {address}")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, username in logins:
        print(f"  {role:<52} {username}")
    print("Admin: " + address + "admin/    API docs: " + address + "api/v1/docs")
    print("Press Ctrl+C to stop.", flush=True)
    worker = subprocess.Popen(
        [sys.executable, "-m", "satupintu.cli", "worker"], env=os.environ.copy()
    )
    try:
        _manage("runserver", f"127.0.0.1:{args.port}", "--noreload", "-v", "0")
    except KeyboardInterrupt:
        pass
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=10)
    return 0


def cmd_serve(args) -> int:
    _setup()
    from django.conf import settings

    if not settings.HAS_SECRET_KEY:
        print(settings.MISSING_KEY_MESSAGE, file=sys.stderr)
        return 2
    _manage("collectstatic", "--no-input", "-v", "0")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "satupintu.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
    ]
    os.execv(sys.executable, command)  # noqa: S606
    return 0


def _sweep_minutes() -> float:
    from django.conf import settings

    value = getattr(settings, "SATUPINTU_SWEEP_MINUTES", None)
    if value is None:
        value = os.environ.get("SATUPINTU_SWEEP_MINUTES") or 15
    return float(value)


def _start_sweep_clock(minutes: float, *, also=()):
    """Enqueue the ``sweep_cases`` task (and the tasks in ``also``, such as the complaints'
    sweep) now and every ``minutes`` from a thread of the worker process; the worker itself
    (this process or another) runs them.

    Several workers may each run a clock. Where they share a cache (Redis, with REDIS_URL),
    one sweep is enqueued per interval between them all; otherwise each enqueues its own,
    which costs a little work and changes nothing: the sweep acts once a day per case.
    """
    import logging
    import threading

    from django.core.cache import cache
    from django.db import connections

    from satupintu.cases.tasks import sweep_cases

    logger = logging.getLogger("satupintu.sweep")
    seconds = max(minutes * 60, 1.0)
    stop = threading.Event()

    def tick() -> None:
        while True:
            try:
                # Expires a little before the next tick, so that the next one may enqueue.
                if cache.add("satupintu:sweep-enqueued", 1, timeout=max(int(seconds) - 5, 1)):
                    sweep_cases.enqueue()
                    for sweep in also:
                        sweep.enqueue()
            except Exception:  # the clock must keep ticking whatever the queue does
                logger.exception("Could not enqueue the case sweep; trying again later.")
            finally:
                connections.close_all()  # this thread's own connections
            if stop.wait(seconds):
                return

    thread = threading.Thread(target=tick, name="satupintu-sweep-clock", daemon=True)
    thread.start()
    return stop


def cmd_worker(args) -> int:
    _setup()
    from django.conf import settings
    from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

    minutes = _sweep_minutes() if args.sweep_minutes is None else args.sweep_minutes
    rq = settings.TASKS_BACKEND == "rq"
    # With DEBUG the database worker runs under Django's autoreloader: the clock belongs in
    # the child process that does the work, not in the parent that watches the files.
    reloading = not rq and settings.DEBUG and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
    if minutes > 0 and not reloading:
        from satupintu.complaints.tasks import sweep_complaints
        from satupintu.privacy.tasks import sweep_privacy

        _start_sweep_clock(minutes, also=(sweep_complaints, sweep_privacy))
    if rq:
        _manage("rqworker", "default", "--with-scheduler")
    else:
        _manage("db_worker", "--interval", str(args.interval))
    return 0


def cmd_sweep(args) -> int:
    _setup()
    from satupintu.cases.notices import cases_sweep
    from satupintu.complaints.sweep import complaints_sweep

    report = cases_sweep()
    print(
        f"{report['date']}: {report['reminders']} reminders, {report['escalations']} "
        f"escalations, {report['notifications']} notifications."
    )
    report = complaints_sweep()
    print(
        f"{report['date']}: complaints: {report['reminders']} reminders, "
        f"{report['escalations']} escalations, {report['closed']} closed, "
        f"{report['notifications']} notifications."
    )
    from satupintu.privacy.sweep import privacy_sweep

    report = privacy_sweep()
    retention = ", ".join(f"{kind} {count}" for kind, count in report["retention"].items())
    print(
        f"Data protection: requests {report['requests']['reminders']} reminders, "
        f"{report['requests']['escalations']} escalations; breach notices "
        f"{report['breaches']['reminders']} reminders, {report['breaches']['escalations']} "
        f"escalations; retention: {retention or 'nothing due'}; failed sign-ins forgotten: "
        f"{report['sign_in_failures_forgotten']}."
    )
    from satupintu.cases.services.performance import service_months_refresh_daily

    print(f"Services' monthly figures refreshed: {service_months_refresh_daily()}.")
    return 0


def _print_progress(message: str) -> None:
    print(message, flush=True)


def cmd_backup(args) -> int:
    _setup()
    from django.conf import settings

    from satupintu.core.backup import BackupError, backup_create

    destination = args.output or Path(settings.VAR_DIR) / "backups"
    try:
        backup_create(destination=destination, progress=_print_progress)
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def cmd_restore(args) -> int:
    _setup()
    from satupintu.core.backup import BackupError, backup_restore

    try:
        report = backup_restore(source=args.file, force=args.force, progress=_print_progress)
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(
        f"Restored the backup of {report.created_at} (Satupintu {report.app_version}): "
        f"{len(report.actual)} tables, {sum(report.actual.values())} rows, "
        f"{report.media_files} uploaded files."
    )
    differences = report.differences
    if not differences:
        print(f"All {len(report.expected)} tables have the row counts of the backup.")
        return 0
    print(f"{len(differences)} tables differ from the backup (migrations since it was made):")
    for table, (expected, actual) in differences.items():
        before = "absent" if expected is None else expected
        after = "absent" if actual is None else actual
        print(f"  {table}: {before} in the backup, {after} now")
    return 0


def cmd_bench_seed(args) -> int:
    from satupintu.bench.seed import main as seed_main

    return seed_main(args)


def cmd_bench_run(args) -> int:
    from satupintu.bench.run import main as run_main

    return run_main(args)


def cmd_manage(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["satupintu manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="satupintu", description="Satupintu: one door to public services."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="set up the demo database and serve it")
    demo.add_argument("--no-serve", action="store_true", help="load the demo data and exit")
    demo.add_argument("--port", type=int, default=8000)
    demo.set_defaults(func=cmd_demo)

    serve = commands.add_parser("serve", help="run the web server (gunicorn)")
    serve.add_argument("--bind", default=os.environ.get("SATUPINTU_BIND", "127.0.0.1:8000"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    serve.set_defaults(func=cmd_serve)

    worker = commands.add_parser("worker", help="run the background task worker")
    worker.add_argument(
        "--interval", type=float, default=1.0, help="seconds between polls (database queue)"
    )
    worker.add_argument(
        "--sweep-minutes",
        type=float,
        default=None,
        help="minutes between case sweeps (reminders, escalations); 0 turns the sweep off "
        "(default: SATUPINTU_SWEEP_MINUTES, else 15)",
    )
    worker.set_defaults(func=cmd_worker)

    sweep = commands.add_parser("sweep", help="remind and escalate due cases once (for cron)")
    sweep.set_defaults(func=cmd_sweep)

    catalog = commands.add_parser("catalog", help="check and load service definitions")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", required=True)
    validate = catalog_commands.add_parser("validate", help="check a definitions folder")
    validate.add_argument("directory", type=Path)
    validate.set_defaults(func=cmd_catalog_validate)
    load = catalog_commands.add_parser("load", help="load a definitions folder")
    load.add_argument("directory", type=Path, nargs="?")
    load.set_defaults(func=cmd_catalog_load)

    backup = commands.add_parser("backup", help="archive the database and uploaded files")
    backup.add_argument(
        "--output",
        type=Path,
        default=None,
        help="folder for the archive (default: $SATUPINTU_VAR_DIR/backups)",
    )
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser("restore", help="restore an archive made by backup")
    restore.add_argument("file", type=Path)
    restore.add_argument(
        "--force", action="store_true", help="replace a database that already holds data"
    )
    restore.set_defaults(func=cmd_restore)

    bench = commands.add_parser("bench", help="benchmarks at scale (see docs/performance.md)")
    bench_commands = bench.add_subparsers(dest="bench_command", required=True)
    from satupintu.bench.options import add_run_options, add_seed_options

    bench_seed = bench_commands.add_parser("seed", help="generate synthetic data at a scale")
    add_seed_options(bench_seed)
    bench_seed.set_defaults(func=cmd_bench_seed)
    bench_run = bench_commands.add_parser("run", help="serve with gunicorn, load it, report")
    add_run_options(bench_run)
    bench_run.set_defaults(func=cmd_bench_run)

    manage = commands.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
