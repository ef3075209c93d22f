"""Issue 16, "Documents and printing": the referral and monthly summary PDFs are tagged
(PDF/UA-1), so that a screen reader reads them in order with their structure: the
document's language and title, headings, and tables whose header cells say what they
head (WCAG 1.3.1, 3.1.1; PDF techniques PDF6, PDF9, PDF16, PDF18).

`pdfinfo` (poppler) reports the tagging as a reader sees it; pikepdf reads the catalog
and walks the structure tree for the element types and the headers' scope."""

import io
import subprocess

import pikepdf
import pytest
from django.urls import reverse

from referrals.models import Export, MonthlySummary
from referrals.models.exports import ExportState
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.exports import downloaded_bytes, london

pytestmark = pytest.mark.django_db


def pdfinfo(content: bytes) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    lines = out.stdout.decode().splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def structure(content: bytes) -> tuple[dict, list[dict]]:
    """What the catalog says about language, marking and title, and for every element of
    the structure tree, in reading order: its type, /ID and the /Headers it points to."""
    pdf = pikepdf.open(io.BytesIO(content))
    elements = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
            return
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return
        attributes = node.get("/A")
        headers = (
            attributes.get("/Headers", []) if isinstance(attributes, pikepdf.Dictionary) else []
        )
        elements.append(
            {
                "kind": str(node.S),
                "id": bytes(node.ID) if "/ID" in node else None,
                "headers": [bytes(h) for h in headers],
                "alt": str(node.Alt) if "/Alt" in node else "",
            }
        )
        if "/K" in node:
            walk(node.K)

    root = pdf.Root
    assert "/StructTreeRoot" in root, "no structure tree: the PDF is not tagged"
    walk(root.StructTreeRoot.get("/K"))
    catalog = {
        "lang": str(root.get("/Lang", "")),
        "marked": bool(root.MarkInfo.get("/Marked")) if "/MarkInfo" in root else False,
        "display_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
    }
    return catalog, elements


def assert_tagged(content: bytes, title: str) -> list[dict]:
    """Tagged, in en-GB, titled; one H1 and H2s; tables whose every data cell names the
    header cells (row and column, from `<th scope>`) that head it."""
    info = pdfinfo(content)
    assert info["Tagged"] == "yes"
    assert info["Title"] == title
    catalog, elements = structure(content)
    # The title is shown rather than the file name.
    assert catalog == {"lang": "en-GB", "marked": True, "display_title": True}
    kinds = [e["kind"] for e in elements]
    assert kinds.count("/H1") == 1
    assert "/H2" in kinds
    assert {"/Table", "/TR", "/TH", "/TD"} <= set(kinds)
    header_ids = {e["id"] for e in elements if e["kind"] == "/TH"}
    assert None not in header_ids
    cells = [e for e in elements if e["kind"] == "/TD"]
    assert all(cell["headers"] and set(cell["headers"]) <= header_ids for cell in cells)
    return elements


def test_a_referral_pdf_is_tagged_with_its_language_title_headings_and_table_headers(
    client, practitioner, django_capture_on_commit_callbacks
):
    referral = submitted_referral(author=practitioner, yes_to=["cl-01"])
    sign_in(client, practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export_create", args=[referral.reference]))
    export = Export.objects.get(referral=referral)
    assert export.state == ExportState.READY, export.error
    response = client.get(reverse("export_download", args=[referral.reference, export.pk]))
    assert response.status_code == 200
    assert_tagged(downloaded_bytes(response), f"Referral {referral.reference}")


def test_a_monthly_summary_pdf_is_tagged_with_its_language_title_headings_and_table_headers(
    client, manager, django_capture_on_commit_callbacks
):
    submitted_referral(submitted_at=london(2026, 10, 5), yes_to=["cl-01"])
    sign_in(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_list"), {"month": "2026-10"})
    summary = MonthlySummary.objects.get(month=london(2026, 10, 1).date())
    assert summary.state == ExportState.READY, summary.error
    response = client.get(reverse("summary_download_pdf", args=["2026-10"]))
    assert response.status_code == 200
    content = downloaded_bytes(response)
    elements = assert_tagged(content, "Monthly summary October 2026")
    charts = [e["alt"] for e in elements if e["kind"] == "/Figure"]
    assert len(charts) == 2
    assert charts[0].startswith("Bar chart of referrals received")
