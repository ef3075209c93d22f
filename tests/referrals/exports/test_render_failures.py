"""A render that cannot finish marks the export failed with a message that carries no
personal data; nothing renders twice; the render task has its own time limits."""

import logging

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from referrals import pdf
from referrals.exports import services as exports
from referrals.models.exports import ExportState
from referrals.tasks import export_render_task, summary_generate_task
from tests.factories import submitted_referral
from tests.factories.exports import an_export


@pytest.fixture
def referral(practitioner):
    return submitted_referral(
        author=practitioner, first_name="Testa", last_name="Testperson", concern="A" * 40
    )


def assert_no_personal_data(message: str, referral) -> None:
    for value in [referral.first_name, referral.last_name, referral.reference, referral.concern]:
        assert value not in message


def test_a_pdf_longer_than_the_limit_fails_with_a_clear_message(referral, practitioner, settings):
    settings.EXPORT_MAX_PAGES = 1
    export = exports.export_render(export_id=an_export(referral, practitioner).pk)
    assert export.state == ExportState.FAILED
    assert export.error.startswith("The PDF was too long to produce")
    assert "the limit is 1" in export.error
    assert not export.file
    assert_no_personal_data(export.error, referral)


def test_a_render_past_the_soft_time_limit_fails_with_a_message(
    referral, practitioner, monkeypatch
):
    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(pdf, "html_to_pdf", too_slow)
    export = exports.export_render(export_id=an_export(referral, practitioner).pk)
    assert export.state == ExportState.FAILED
    assert export.error == exports.MESSAGE_TOO_SLOW


def test_an_unexpected_error_is_logged_without_the_text_it_quotes(
    referral, practitioner, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ValueError(f"cannot lay out {referral.first_name} {referral.last_name}")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    with caplog.at_level(logging.INFO):
        export = exports.export_render(export_id=an_export(referral, practitioner).pk)
    assert export.state == ExportState.FAILED
    assert export.error == exports.MESSAGE_FAILED
    assert "ValueError" in caplog.text
    assert_no_personal_data(caplog.text, referral)


def test_a_user_who_lost_access_before_the_render_gets_no_pdf(referral, practitioner):
    export = an_export(referral, practitioner)
    practitioner.groups.clear()
    export = exports.export_render(export_id=export.pk)
    assert export.state == ExportState.FAILED
    assert export.error == exports.MESSAGE_NOT_ALLOWED
    assert not export.file


def test_rendering_an_export_again_changes_nothing(referral, practitioner):
    export = exports.export_render(export_id=an_export(referral, practitioner).pk)
    again = exports.export_render(export_id=export.pk)
    assert export.state == again.state == ExportState.READY
    assert again.file.name == export.file.name
    assert again.completed_at == export.completed_at


def test_a_failed_export_is_not_retried_by_a_redelivered_task(referral, practitioner, settings):
    settings.EXPORT_MAX_PAGES = 1
    export = exports.export_render(export_id=an_export(referral, practitioner).pk)
    settings.EXPORT_MAX_PAGES = 200
    again = exports.export_render(export_id=export.pk)
    assert again.state == ExportState.FAILED


@pytest.mark.django_db
def test_rendering_a_deleted_export_does_nothing():
    assert exports.export_render(export_id=123456) is None


def test_an_export_that_cannot_be_queued_is_marked_failed(
    referral, practitioner, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(export_render_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(referral=referral, user=practitioner, redact_referrer=False)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED
    assert export.error == exports.MESSAGE_NOT_QUEUED


def test_render_tasks_have_soft_and_hard_time_limits_within_the_visibility_timeout():
    for task in [export_render_task, summary_generate_task]:
        assert task.soft_time_limit == settings.EXPORT_RENDER_SOFT_TIME_LIMIT
        assert task.time_limit == settings.EXPORT_RENDER_TIME_LIMIT
        assert task.soft_time_limit < task.time_limit
        assert task.time_limit < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0
