"""Tasks really travel through Redis to a separate worker process and back."""

from config.celery import ping


def test_a_task_round_trips_through_the_real_broker_and_worker(celery_worker):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"
    assert f"Task config.ping[{result.id}] succeeded" in celery_worker.log()
