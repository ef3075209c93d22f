"""Every character a referral may hold prints in its PDF (issue #14's sibling, "every
character in the PDF"): names in many scripts, fullwidth brackets and emoji are drawn
with a real glyph, never the empty box (.notdef) a font without them draws.

What each check proves, honestly:
- `pdftotext` finding each string shows the text reached the PDF intact (escaped,
  encoded, mapped back to Unicode). It does NOT prove the glyphs exist: WeasyPrint maps
  even a .notdef glyph back to the character it stands for.
- WeasyPrint logs a warning for every glyph Pango found no font for ("'.notdef glyph
  rendered ..."), so no such warning means every character had a font with a glyph.
- `pdffonts` lists the embedded fonts: all of them come from the stylesheet's stack, or
  are Noto Color Emoji (the emoji font, found by fontconfig), not whatever else a machine
  happens to have, so the PDF looks the same wherever the Makefile's or Dockerfile's
  fonts are installed; and a PDF in English embeds Liberation Sans alone (naming the
  emoji font in the stack made Pango draw digits with it).
Not proven: that a font's glyph for a character looks right (a font may hold a blank
glyph for it); that would need looking at the rendered page."""

import logging
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from indicators.models import CatalogueVersion, Indicator
from referrals.models import Export, MonthlySummary
from referrals.models.exports import ExportState
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.exports import downloaded_bytes, flat, london, pdf_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
# Invented names (and the fullwidth brackets of issue #14) in the scripts a referral in
# England may well hold.
CORPUS = {
    "fullwidth": "＜Ｔｅｓｔａ＞",
    "Arabic": "محمد عبد الله",
    "Urdu": "عائشہ خان",
    "Cyrillic": "Анастасия Иванова",
    "Greek": "Αλέξανδρος Παπαδόπουλος",
    "Chinese": "王小明",
    "Japanese": "さくら",
    "Korean": "김민준",
    "Hebrew": "יעל כהן",
    "Bengali": "রহিম",
    "Devanagari": "प्रिया",
    "Polish": "Łukasz Żółć",
    "emoji": "😀🌍",
}
# Printed with real glyphs but not read back literally: poppler puts a space inside the
# Bengali cluster ("র হিম"), and WeasyPrint maps each glyph to the text of its first use,
# so text extraction (search, copy) of Bengali is approximate. Checked for glyphs only.
NOT_READ_BACK_LITERALLY = {"Bengali"}
# Not in the stylesheet's stack (see style.css): fontconfig finds it for emoji.
EMOJI_FONT = "Noto-Color-Emoji"
# Marks poppler adds around right-to-left runs; not part of the text.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


@pytest.fixture
def weasyprint_warnings(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    return lambda: [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]


def stylesheet_fonts() -> list[str]:
    css = (ROOT / "templates/referrals/exports/pdf/style.css").read_text()
    stack = re.search(r"html \{ font-family: ([^;]+);", css).group(1)
    return [family.strip().strip('"') for family in stack.split(",")]


def embedded_fonts(content: bytes, tmp_path) -> list[tuple[str, str]]:
    """(font name without its subset prefix, "yes" if embedded) for each font in the PDF."""
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        fonts.append((parts[0].split("+", 1)[-1], parts[-5]))
    return fonts


def assert_every_character_printed(content: bytes, warnings: list[str], tmp_path) -> None:
    text = flat(pdf_text(content).translate(BIDI_CONTROLS))
    missing = {
        script: s
        for script, s in CORPUS.items()
        if s not in text and script not in NOT_READ_BACK_LITERALLY
    }
    assert not missing, missing
    assert [w for w in warnings if ".notdef" in w] == []
    stack = [family.replace(" ", "-") for family in stylesheet_fonts() if family != "sans-serif"]
    stack.append(EMOJI_FONT)
    fonts = embedded_fonts(content, tmp_path)
    assert fonts
    for name, embedded in fonts:
        assert embedded == "yes", name
        assert any(name.startswith(family) for family in stack), (name, stack)


def test_the_stylesheet_puts_arial_first_then_fonts_for_every_script():
    fonts = stylesheet_fonts()
    assert fonts[:2] == ["Arial", "Liberation Sans"]
    assert {"Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC"} <= set(fonts)


def test_a_referral_pdf_prints_names_in_every_script(
    client, practitioner, weasyprint_warnings, django_capture_on_commit_callbacks, tmp_path
):
    names = list(CORPUS.values())
    referral = submitted_referral(
        author=practitioner,
        first_name=CORPUS["fullwidth"],
        last_name=CORPUS["Arabic"],
        known_as=CORPUS["Chinese"],
        concern="\n".join(names),
        people=[{"name": name} for name in names[3:]],
    )
    sign_in(client, practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("export_create", args=[referral.reference]))
    export = Export.objects.get(referral=referral)
    assert export.state == ExportState.READY, export.error
    response = client.get(reverse("export_download", args=[referral.reference, export.pk]))
    assert response.status_code == 200
    assert_every_character_printed(downloaded_bytes(response), weasyprint_warnings(), tmp_path)


def test_a_monthly_summary_pdf_prints_warning_signs_worded_in_every_script(
    client, manager, weasyprint_warnings, django_capture_on_commit_callbacks, tmp_path
):
    submitted_referral(submitted_at=london(2026, 10, 5), yes_to=["cl-01"])
    # The catalogue is the summary's only free text (no personal data is in it).
    version = CatalogueVersion.objects.create(number=999, change_summary="Every script")
    for order, wording in enumerate(CORPUS.values(), start=1):
        Indicator.objects.create(
            version=version,
            code=f"cl-{order:02d}",
            wording=wording,
            audience="both",
            group="exploitation",
            order=order,
        )
    sign_in(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_list"), {"month": "2026-10"})
    summary = MonthlySummary.objects.get(month=london(2026, 10, 1).date())
    assert summary.state == ExportState.READY, summary.error
    response = client.get(reverse("summary_download_pdf", args=["2026-10"]))
    assert response.status_code == 200
    assert_every_character_printed(downloaded_bytes(response), weasyprint_warnings(), tmp_path)


def test_a_summary_in_english_prints_every_letter_and_digit_in_arial_or_liberation_sans(
    client, manager, django_capture_on_commit_callbacks, tmp_path
):
    submitted_referral(submitted_at=london(2026, 10, 5), yes_to=["cl-01"])
    sign_in(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_list"), {"month": "2026-10"})
    response = client.get(reverse("summary_download_pdf", args=["2026-10"]))
    assert response.status_code == 200
    content = downloaded_bytes(response)
    assert "Re-referrals within 12 months" in flat(pdf_text(content))
    names = {name for name, _ in embedded_fonts(content, tmp_path)}
    assert names <= {"Liberation-Sans", "Liberation-Sans-Bold", "ArialMT", "Arial-BoldMT"}, names
