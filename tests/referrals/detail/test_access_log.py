"""The referral page's "Who has viewed or exported this referral" panel, read through
the client as triage staff and administrators see it."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from referrals.audit import audit_record
from tests.auth import sign_in
from tests.factories import UserFactory, submitted_referral

VIEWED_AT = dt.datetime(2026, 3, 10, 14, 5, tzinfo=dt.UTC)
EXPORTED_AT = dt.datetime(2026, 3, 11, 9, 30, tzinfo=dt.UTC)


def _access_log_rows(html: str) -> list[list[str]]:
    panel = html.split('id="access-log-title"', 1)[1].split("</section>", 1)[0]
    return [
        [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", panel, re.S)
        if "<td" in row
    ]


@pytest.mark.django_db
def test_the_referral_page_lists_who_viewed_or_exported_it_and_when(client, triager):
    referral = submitted_referral()
    colleague = UserFactory(email="colleague.viewer@example.org")
    with time_machine.travel(VIEWED_AT, tick=False):
        audit_record(action="referral.viewed", actor=colleague, referral=referral)
    with time_machine.travel(EXPORTED_AT, tick=False):
        audit_record(action="export.requested", actor=colleague, referral=referral)
    sign_in(client, triager)
    response = client.get(reverse("referral_detail", args=[referral.reference]))
    assert response.status_code == 200
    rows = _access_log_rows(response.content.decode())
    # Newest first, London time; the page's own view by this user heads the list.
    assert ["11 Mar 2026 09:30", colleague.email, "Asked for a PDF"] in rows
    assert ["10 Mar 2026 14:05", colleague.email, "Viewed"] in rows
    assert rows.index(["11 Mar 2026 09:30", colleague.email, "Asked for a PDF"]) < rows.index(
        ["10 Mar 2026 14:05", colleague.email, "Viewed"]
    )
    assert all(all(cell for cell in row) for row in rows), rows
