import pytest

from referrals.retention.services import retention_classes_ensure


@pytest.fixture(autouse=True)
def retention_classes(db):
    retention_classes_ensure()
