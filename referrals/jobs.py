"""Queue background work by task name, once the current transaction commits.

Services never import `referrals.tasks` (the tasks import the services): they name the
task they want. The task is looked up in the Celery app's registry and called with
`.delay()`, so that eager mode (the demo, most tests) runs it in-process; Celery's
`send_task` would bypass eager mode and wait for a broker the demo does not have."""

import logging
from collections.abc import Callable

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def _task(name: str):
    # Registered at start-up (referrals.apps imports referrals.tasks), in the worker
    # and in the web processes alike.
    return current_app.tasks[name]


def publish(name: str, *args, on_failure: Callable[[], None] | None = None) -> bool:
    """Hand one task to the broker now. A broker outage is logged, never raised: the
    caller's `on_failure` records what the user should see (or a relay retries)."""
    try:
        _task(name).delay(*args)
    except Exception as exc:  # noqa: BLE001 - any broker failure has the same fallback
        logger.warning("task %s not queued (%s)", name, type(exc).__name__)
        if on_failure is not None:
            on_failure()
        return False
    return True


def enqueue(name: str, *args, on_failure: Callable[[], None] | None = None) -> None:
    """Publish the task after the current transaction commits (never before: a worker
    must find the rows the task names)."""
    transaction.on_commit(lambda: publish(name, *args, on_failure=on_failure))
