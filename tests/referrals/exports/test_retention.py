"""Generated PDFs are deleted after EXPORT_RETENTION_DAYS (default 7), by the hourly
beat task and the service it calls."""

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage

from referrals.exports import services as exports
from referrals.models import Export
from referrals.tasks import exports_delete_expired_task
from tests.factories import submitted_referral
from tests.factories.exports import an_export, london

REQUESTED = london(2026, 11, 2, 9, 0)


@pytest.fixture
def export(practitioner):
    with time_machine.travel(REQUESTED, tick=False):
        referral = submitted_referral(author=practitioner)
        return exports.export_render(export_id=an_export(referral, practitioner).pk)


def test_the_retention_is_seven_days_by_default(settings):
    assert settings.EXPORT_RETENTION_DAYS == 7


def test_an_export_is_kept_until_its_retention_ends(export):
    with time_machine.travel(REQUESTED + dt.timedelta(days=7, minutes=-1), tick=False):
        assert exports.exports_delete_expired() == 0
    assert Export.objects.filter(pk=export.pk).exists()
    assert default_storage.exists(export.file.name)


def test_an_export_and_its_file_are_deleted_after_the_retention(export):
    name = export.file.name
    with time_machine.travel(REQUESTED + dt.timedelta(days=7, minutes=1), tick=False):
        exports_delete_expired_task.delay()
    assert not Export.objects.filter(pk=export.pk).exists()
    assert not default_storage.exists(name)


def test_the_retention_is_configurable(export, settings):
    settings.EXPORT_RETENTION_DAYS = 1
    with time_machine.travel(REQUESTED + dt.timedelta(days=1, minutes=1), tick=False):
        assert exports.exports_delete_expired() == 1
    assert not default_storage.exists(export.file.name)


def test_a_failed_export_without_a_file_is_deleted_too(practitioner):
    with time_machine.travel(REQUESTED, tick=False):
        referral = submitted_referral(author=practitioner)
        failed = an_export(referral, practitioner, state="failed", error="x")
    with time_machine.travel(REQUESTED + dt.timedelta(days=8), tick=False):
        assert exports.exports_delete_expired() == 1
    assert not Export.objects.filter(pk=failed.pk).exists()
