"""Helpers for the notification tests: a referral with a sentinel in every personal
field, a dedicated Redis server the test may stop, and waiting for the outbox."""

import datetime as dt
import os
import subprocess
import time
from contextlib import contextmanager

import redis

from config.celery import app
from tests.factories import UserFactory, submitted_referral
from tests.smtp_sink import _free_port

# One distinctive value per personal field; none may appear in any email or log line.
SENTINEL_DOB = dt.date(2011, 7, 23)
SENTINEL_DOB_FORMS = ["2011-07-23", "23/07/2011", "23 July 2011", "23 Jul 2011", "23.07.2011"]
SENTINEL_FIELDS = {
    "first_name": "Sentinelfirst",
    "last_name": "Sentinellast",
    "known_as": "Sentinelknownas",
    "address_line_1": "1 Sentineladdress Road",
    "address_line_2": "Sentineladdresstwo",
    "town": "Sentineltown",
    "postcode": "ZZ9 9SX",
    "current_whereabouts": "Sentinelwhereabouts",
    "school_or_placement": "Sentinelschool Academy",
    "services_involved": "Sentinelservices",
    "disability": "Sentineldisability",
    "ethnicity": "Sentinelethnicity",
    "first_language": "Sentinellanguage",
    "police_reference": "SENTPOL-9876",
    "no_consent_reason": "Sentinelnoconsent",
    "not_to_share": "Sentinelnottoshare",
    "concern": "Sentinelconcern free text",
    "concern_when_where": "Sentinelwhenwhere",
    "subject_words": "Sentinelsubjectwords",
    "actions_taken": "Sentinelactions",
    "referrer_name": "Sentinelreferrer Person",
    "referrer_phone": "01632 960777",
    "referrer_relationship": "Sentinelrelationship",
}
SENTINEL_PERSON = {
    "name": "Sentinelperson Name",
    "nickname": "Sentinelnickname",
    "relationship": "Sentinelpersonrelationship",
    "phone": "+447700900461",
    "address": "2 Sentinelpersonaddress Street",
    "postcode": "ZZ8 8SY",
    "vehicle_registration": "SN71 LXX",
    "notes": "Sentinelpersonnotes",
}
SENTINEL_DECISION = {
    "rationale": "Sentinelrationale",
    "message_to_referrer": "Sentinelmessagetoreferrer",
}
# The referrer loop: the question, the referrer's answer and the information added.
SENTINEL_ADDENDA = {
    "question": "Sentinelquestion",
    "answer": "Sentinelanswer",
    "information": "Sentinelinformation",
}
SENTINEL_AUTHOR = {"full_name": "Sentinelauthor Testteacher", "work_phone": "01632 960888"}


def sentinels() -> list[str]:
    phones = ["07700900461", "7700900461", "01632960777", "01632960888"]
    values = [
        *SENTINEL_FIELDS.values(),
        *SENTINEL_PERSON.values(),
        *SENTINEL_DECISION.values(),
        *SENTINEL_ADDENDA.values(),
        *SENTINEL_AUTHOR.values(),
    ]
    return [*values, *SENTINEL_DOB_FORMS, *phones]


def leaks(text: str) -> list[str]:
    """The sentinels found in `text` (case-insensitive, spaces ignored for numbers)."""
    folded = text.lower()
    squashed = folded.replace(" ", "")
    return [s for s in sentinels() if s.lower() in folded or s.lower().replace(" ", "") in squashed]


def sentinel_referral(**fields):
    """A referral submitted through the real service with a sentinel everywhere."""
    author = UserFactory(roles=["Practitioner"], **SENTINEL_AUTHOR)
    return submitted_referral(
        author=author,
        date_of_birth=SENTINEL_DOB,
        people=[{"role": "suspected_exploiter", **SENTINEL_PERSON}],
        **{**SENTINEL_FIELDS, **fields},
    )


def wait_until(condition, timeout: float = 60, what: str = "the condition", every=None):
    """Poll (calling `every` each round, e.g. the relay) until condition() holds; the
    deadline only stops a broken run from hanging."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached in {timeout}s")
        if every:
            every()
        time.sleep(0.5)


class RedisServer:
    """A redis-server of the test's own, on a free port, that the test may stop and
    start again (the shared Redis on 6379 is never touched)."""

    def __init__(self):
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        wait_until(lambda: _pings(client), timeout=15, what="redis-server ready")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def _reset_pools() -> None:
    # Dropped, not closed: kombu keeps one pool per broker URL for the whole process,
    # and the shared broker's pool must stay usable after the block.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """Within the block this process publishes to the broker at `url`."""
    # Celery reads CELERY_BROKER_URL from the environment before its own setting.
    saved = app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    app.conf.broker_url = os.environ["CELERY_BROKER_URL"] = url
    _reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = saved[0]
        if saved[1] is None:
            os.environ.pop("CELERY_BROKER_URL")
        else:
            os.environ["CELERY_BROKER_URL"] = saved[1]
        _reset_pools()
