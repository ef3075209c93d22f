"""Two requests at once on two real PostgreSQL connections, for the race tests: the
first holds its row locks until the second is seen waiting for one, then both finish."""

import threading

import pytest
from celery._state import _set_task_join_will_block
from django.db import connection, connections, transaction

WAIT = 10  # seconds; generous, only reached if something is broken


def in_own_connection(work):
    """Run `work` in a thread, which Django gives its own database connection. Returns
    the thread and its outcome: {"result": ...} or {"error": the exception}."""
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def someone_is_waiting_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def second_waits_for_first(first, second, *, what: str) -> tuple[dict, dict]:
    """Run `first` in a transaction kept open until `second`, started once `first` has
    done its work, waits for one of its row locks (so the second blocks on the lock, not
    on a stale read); then let both finish. Returns the two outcomes."""
    holds_locks, release = threading.Event(), threading.Event()

    def run_first():
        with transaction.atomic():
            result = first()
            holds_locks.set()
            release.wait(WAIT)
        return result

    first_thread, first_outcome = in_own_connection(run_first)
    assert holds_locks.wait(WAIT), first_outcome
    second_thread, second_outcome = in_own_connection(second)
    for _ in range(WAIT * 20):
        if someone_is_waiting_for_a_row_lock():
            break
        threading.Event().wait(0.05)
    else:
        release.set()
        pytest.fail(f"the second {what} never waited for the first one's row lock")
    release.set()
    first_thread.join(WAIT)
    second_thread.join(WAIT)
    # Work that notifies runs its tasks eagerly in each thread on commit. Celery's
    # "inside a task" flag is one global that two overlapping eager tasks can leave set,
    # which would refuse every later result.get() in this process: cleared here.
    _set_task_join_will_block(False)
    return first_outcome, second_outcome
