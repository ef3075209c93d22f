"""The nightly beat task (config/settings.py CELERY_BEAT_SCHEDULE) that lists the records
due: scheduled, and run by the real worker through Redis."""

import pytest
from celery.schedules import crontab
from django.conf import settings

from referrals.models import RetentionDue
from referrals.retention.services import retention_classes_ensure
from referrals.tasks import retention_list_due
from tests.factories.exports import london
from tests.factories.notifications import wait_until
from tests.factories.retention import decided_contact


def test_the_due_list_is_refreshed_nightly_by_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["retention-list-due"]
    assert entry["task"] == "referrals.retention_list_due"
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {settings.RETENTION_DUE_HOUR}


@pytest.mark.broker
@pytest.mark.usefixtures("_migration_data_restored", "django_db_serialized_rollback")
def test_the_real_worker_lists_a_contact_past_its_retention(celery_worker, triager):
    """Serialized rollback, and the migrations' data put back after the flush, as every
    worker test that writes does: a plain flush would leave later tests without the
    permissions and content types the migrations wrote."""
    retention_classes_ensure()
    referral = decided_contact(triager, decided_on=london(2019, 1, 8))
    retention_list_due.delay()
    wait_until(RetentionDue.objects.exists, timeout=30, what="the due list")
    assert RetentionDue.objects.get().referral_id == referral.pk
