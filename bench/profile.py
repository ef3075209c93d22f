"""Profile one page in-process, on the bench database as a run left it
(`python -m bench --keep-db ...` first):

    python -m bench.profile /triage/ [--repeat 50] [--as triage|practitioner]
    python -m bench.profile --submit [--repeat 50]     # the check-answers POST
    python -m bench.profile /triage/ --cpu-only        # CPU per request, no profiler

Requests go through Django's WSGI handler, as gunicorn sends them, not the test client:
the test client records every template rendered, which makes pages with many
includes look several times dearer than they are. Prints the SQL of one request, the
CPU time per request, then pyinstrument's tree of where the time goes."""

import argparse
import functools
import io
import os
import sys
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("path", nargs="?", help="A page to GET (not with --submit).")
    parser.add_argument("--submit", action="store_true", help="POST complete drafts instead.")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--as", dest="role", default="triage", choices=["triage", "practitioner"])
    parser.add_argument("--cpu-only", action="store_true", help="Measure, do not profile.")
    parser.add_argument("--html", help="Also write pyinstrument's HTML report here.")
    parser.add_argument(
        "--cprofile",
        action="store_true",
        help="Profile with the standard library's cProfile instead of pyinstrument "
        "(deterministic: per-function call counts, good for middleware).",
    )
    args = parser.parse_args(argv)
    if bool(args.path) == args.submit:
        parser.error("give a path, or --submit")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Submissions publish notifications: to a queue no bench worker reads.
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/9")
    os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", "bench-profile")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.data import _existing_bench_users, generate_drafts
    from bench.sessions import Browser

    practitioners, triage = _existing_bench_users()
    if args.submit:
        author = practitioners[0]
        browser = Browser(author)
        drafts = generate_drafts([author], args.repeat + 2)[author.pk]

        def request():
            public_id = drafts.pop()
            return _call(
                "POST", f"/referrals/drafts/{public_id}/check/", browser, browser.form_body()
            )

        label = "check-answers POST"
    else:
        browser = Browser(triage[0] if args.role == "triage" else practitioners[0])

        def request():
            return _call("GET", args.path, browser)

        label = args.path
    request()  # warm: templates compiled, session activity written, caches filled
    with CaptureQueriesContext(connection) as captured:
        status = request()
    print(f"{label}: {status}, {len(captured)} queries")
    for n, query in enumerate(captured.captured_queries):
        print(f"  {n:2} {query['time']}s  {query['sql'][:150]}")
    profiler = None
    if args.cprofile and not args.cpu_only:
        return _cprofile(request, args.repeat, label)
    if not args.cpu_only:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    began = time.process_time()
    for _ in range(args.repeat):
        request()
    cpu = (time.process_time() - began) / args.repeat * 1000
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        if args.html:
            with open(args.html, "w") as out:
                out.write(profiler.output_html())
    note = " (inflated by the profiler)" if profiler is not None else ""
    print(f"{label}: {cpu:.1f} ms CPU per request in this process{note}")
    return 0


def _cprofile(request, repeat: int, label: str) -> int:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        request()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    print(f"{label}: cProfile of {repeat} requests (times inflated by the profiler)")
    return 0


@functools.cache
def _application():
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def _call(method: str, target: str, browser, body: bytes = b"") -> str:
    from wsgiref.util import setup_testing_defaults

    path, _, query = target.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": browser.cookie,
        "wsgi.input": io.BytesIO(body),
    }
    if body:
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        environ["CONTENT_LENGTH"] = str(len(body))
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = status

    size = 0
    for chunk in _application()(environ, start_response):
        size += len(chunk)
    return f"{started['status']}, {size:,} bytes"


if __name__ == "__main__":
    sys.exit(main())
