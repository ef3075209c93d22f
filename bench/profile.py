"""Profile one page in-process with pyinstrument, on the bench database as a run left it
(`python -m bench --keep-db ...` first):

    python -m bench.profile /triage/ [--repeat 50] [--post] [--as triage|practitioner]

Prints where the time goes (view, queries, template) and the SQL count per request."""

import argparse
import os
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--as", dest="role", default="triage", choices=["triage", "practitioner"])
    parser.add_argument("--html", help="Also write pyinstrument's HTML report here.")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from bench.data import _existing_bench_users
    from bench.sessions import Browser

    practitioners, triage = _existing_bench_users()
    user = triage[0] if args.role == "triage" else practitioners[0]
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = Browser(user).session_key
    client.get(args.path)  # warm: templates compiled, session activity written
    with CaptureQueriesContext(connection) as captured:
        response = client.get(args.path)
    print(
        f"{args.path}: HTTP {response.status_code}, {len(captured)} queries, "
        f"{sum(float(q['time']) for q in captured.captured_queries) * 1000:.1f} ms in SQL"
    )
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.repeat):
        client.get(args.path)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        with open(args.html, "w") as out:
            out.write(profiler.output_html())
    return 0


if __name__ == "__main__":
    sys.exit(main())
