"""What every signed-in request costs before its page does anything (issue 17): the
session, the user, the second-factor device, the user's roles and, for Triage, the
unread-notification count in the header; nothing written on a GET."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.auth import sign_in

STACK = ["django_session", "accounts_user", "otp_totp_totpdevice", "auth_group"]


def _tables(captured) -> list[str]:
    tables = []
    for query in captured.captured_queries:
        sql = query["sql"]
        assert sql.startswith("SELECT"), f"a GET wrote: {sql[:200]}"
        tables.append(sql.split(" FROM ", 1)[1].split()[0].strip('"'))
    return tables


def test_a_signed_in_get_of_a_simple_page_reads_once_and_writes_nothing(client, triager):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, triager)
        assert client.get("/accounts/security/").status_code == 200  # first: may write
        traveller.shift(timedelta(seconds=50))
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accounts/security/").status_code == 200
    assert _tables(captured) == [*STACK, "referrals_notification"]


def test_the_idle_clock_is_written_at_most_once_a_minute(client, triager):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, triager)
        client.get("/accounts/security/")
        traveller.shift(timedelta(seconds=59))
        with CaptureQueriesContext(connection) as quiet:
            client.get("/accounts/security/")
        traveller.shift(timedelta(seconds=2))
        with CaptureQueriesContext(connection) as refreshed:
            client.get("/accounts/security/")
    assert not any(q["sql"].startswith("UPDATE") for q in quiet.captured_queries)
    assert any(
        q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
        for q in refreshed.captured_queries
    )
