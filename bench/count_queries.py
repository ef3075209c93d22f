"""Run by the harness in the web server's own tree (see --app-dir), so the SQL counted is
the SQL that tree runs: `python -m bench.count_queries GET|POST PATH SESSION_KEY OUT`, or
`python -m bench.count_queries API PATH TOKEN OUT BODY_FILE` for a JSON POST with a
Bearer token. Prints the number of queries; writes their SQL to OUT."""

import json
import os
import sys
import time
from importlib import import_module


def main(method: str, path: str, session_key: str, out: str, body_file: str = "") -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.middleware import LAST_ACTIVITY

    client = Client()
    if method == "API":
        with open(body_file, "rb") as body_in:
            body = body_in.read()
        bearer = {"Authorization": f"Bearer {session_key}"}

        def post():
            return client.post(path, body, content_type="application/json", headers=bearer)

        post()  # steady state: caches filled, as in the measured run
        with CaptureQueriesContext(connection) as captured:
            response = post()
        return _written(out, response, captured)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    if method == "GET":
        # Steady state: the one 'viewed' event per sitting is written by this first
        # request, and templates are compiled.
        client.get(path)
    # The session's activity time is written at most once a minute: mark it fresh so
    # that the counted request is not the one that happens to write it.
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    session[LAST_ACTIVITY] = int(time.time())
    session.save()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path) if method == "GET" else client.post(path, {})
    return _written(out, response, captured)


def _written(out: str, response, captured) -> dict:
    with open(out, "w") as sql:
        for q in captured.captured_queries:
            sql.write(f"-- {q['time']} s\n{q['sql']};\n")
    return {
        "status": response.status_code,
        "count": len(captured.captured_queries),
        "sql": [q["sql"] for q in captured.captured_queries],
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:6])))
