"""`python -m bench` (or `make bench`): load 10,000, 100,000 and 1,000,000 referrals into
a database of its own, measure, print the table and write docs/benchmarks.md.
See bench/README.md."""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--scales",
        default="10000,100000,1000000",
        help="Referral counts to measure at, comma-separated; the last gets every measurement. "
        "10000000 is accepted (a 28 GB database; not for CI).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="A small, fast run for trying the harness (2,000 referrals, "
        "short windows; writes .bench-logs/benchmarks-quick.md).",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--driver",
        choices=["wrk", "python"],
        default=None,
        help="Load generator: wrk (default when installed; ./scripts/ensure-debs wrk) or the "
        "Python thread clients of bench/load.py.",
    )
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=15.0, help="Measured window per line.")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument(
        "--drafts", type=int, default=1000, help="Complete drafts prepared per submitting client."
    )
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--notifications", type=int, default=40)
    parser.add_argument("--summaries", type=int, default=3)
    parser.add_argument("--searches", type=int, default=50, help="Searches by name and by phone.")
    parser.add_argument("--month-referrals", type=int, default=60_000)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--skip",
        default="",
        help="Measurements to leave out, comma-separated: queue, detail, pages, explain, "
        "submission, pdf, search, notifications, summary, network, mace.",
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="Measure the bench database as a --keep-db run left it (no load; one scale).",
    )
    parser.add_argument(
        "--app-dir",
        help="Run gunicorn and the worker from this checkout of the portal "
        "(e.g. one with a proposed fix) instead of this one.",
    )
    parser.add_argument("--keep-db", action="store_true", help="Leave the bench database.")
    args = parser.parse_args(argv)
    if args.quick:
        args.scales = "2000"
        args.seconds, args.warmup = 4.0, 1.0
        args.drafts, args.pdfs, args.notifications, args.summaries = 200, 3, 5, 1
        args.searches = 5
        args.month_referrals = 3000
        if args.output == parser.get_default("output"):
            args.output = str(ROOT / ".bench-logs" / "benchmarks-quick.md")
    if args.driver is None:
        from bench import wrk

        args.driver = "wrk" if wrk.available() else "python"
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    args.scales = [int(s) for s in str(args.scales).split(",") if s]
    return args


def main(argv=None) -> int:
    args = _arguments(argv if argv is not None else sys.argv[1:])
    from bench import services

    smtp_port = services.free_port()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench"
    )
    os.environ["CELERY_BROKER_URL"] = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/9")
    os.environ["CELERY_RESULT_BACKEND"] = os.environ["CELERY_BROKER_URL"]
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = "bench"
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    os.environ.setdefault("CONN_MAX_AGE", "300")
    if "bench" not in services.database_name(os.environ["DATABASE_URL"]):
        sys.exit("Refusing to run: the benchmark database's name must contain 'bench'.")

    import django

    django.setup()
    import logging

    # The harness's own process: its renders need not log each step (the servers it
    # starts keep the portal's log level).
    logging.getLogger().setLevel(logging.WARNING)
    from bench.run import Run

    if args.app_dir:
        services.APP_DIR = Path(args.app_dir).resolve()
        args.keep_db = True

    began = time.monotonic()
    run = Run(args)
    if args.app_dir:
        run.report.header["Web server code"] = str(services.APP_DIR)
    with services.SmtpSink(smtp_port) as sink:
        run.sink = sink
        report = run.main()
    report.header["Settings"] = (
        f"scales {', '.join(f'{s:,}' for s in args.scales)}; drafts {args.drafts} per client; "
        f"{args.pdfs} PDFs; {args.notifications} notifications; {args.summaries} summaries"
    )
    report.header["Run time"] = f"{(time.monotonic() - began) / 60:.1f} min"
    print()
    print(report.table())
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(report.markdown())
    print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
