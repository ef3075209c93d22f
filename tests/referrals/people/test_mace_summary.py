"""The monthly summary's MACE section: identifiers shared by three or more referrals in
the 90 days to the month's end, as counts and references only (read back from the PDF
with pdftotext): never the phone number itself, never a name."""

import datetime as dt
import re

import pytest

from referrals.exports import services as exports
from tests.factories import submitted_referral
from tests.factories.exports import flat, london, pdf_text

LINE = [{"phone": "+447700900123", "role": "suspected_exploiter"}]


@pytest.mark.django_db
def test_the_summary_pdf_lists_a_shared_line_by_count_and_references_only(manager):
    shared = [
        submitted_referral(
            first_name="Zoë",
            last_name=f"Testperson{i}",
            people=LINE,
            submitted_at=london(2026, 10, 5 + i),
        )
        for i in range(3)
    ]
    # Outside the 90 days to the end of October: not counted.
    submitted_referral(people=LINE, submitted_at=london(2026, 6, 1))
    summary = exports.summary_request(month=dt.date(2026, 10, 1), user=manager, queue=False)
    summary = exports.summary_generate(summary_id=summary.pk, now=london(2026, 11, 29, 9))
    assert summary.figures["mace"] == [
        {"label": "Likely line number", "count": 3, "references": [r.reference for r in shared]}
    ]
    with summary.pdf.open("rb") as pdf:
        content = pdf.read()
    text = flat(pdf_text(content))
    assert "MACE: identifiers shared by three or more referrals" in text
    row = next(line for line in pdf_text(content, layout=True).splitlines() if "Likely" in line)
    # The count's cell, then the references' (pdftotext may close the gap between them).
    assert re.match(rf"\s*Likely line number\s+3\s*{shared[0].reference},", row), row
    assert all(r.reference in text for r in shared)
    assert "07700 900123" not in text and "+447700900123" not in text
    assert "Zoë" not in text and "Testperson" not in text
