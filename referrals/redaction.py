"""Withholding third parties: the one rule the redacted export (referrals/exports) and
the subject access bundle (referrals/subject_access) share.

Third parties are the people in the subject's network (family members, associates,
people suspected of exploiting them) and a referrer who is not a professional (a family
member, an acquaintance, a member of the public, an anonymous caller: census source
codes 1A, 1B, 1D, 9). Professionals are not third parties in this sense: the ICO's
guidance on social-work records expects staff and practitioners' names to be disclosed
in a subject access response (UK GDPR Art. 15; DPA 2018 Sch. 2 para 16 and 17)."""

import re
from dataclasses import dataclass

from referrals.answers import people_rows
from referrals.models import Person, Referral

REDACTED = "[redacted]"
THIRD_PARTY = "[redacted: third party]"
EXPORT_NOTE = "(withheld in this export)"
# Census sources of referral that are individuals other than the subject (1C is the
# person themselves) or anonymous: referrers whose identity is a third party's.
NON_PROFESSIONAL_SOURCES = {"1A", "1B", "1D", "9"}
# Parts of a name shorter than this are not searched for alone ("Al", "Jo").
SHORTEST_NAME_PART = 3


def person_label(person: Person) -> str:
    return f"{person.get_role_display()}: {person.name or person.nickname or 'name not known'}"


def withheld_person_row(person: Person, *, marker: str = REDACTED, note: str = EXPORT_NOTE):
    """A network entry as a PDF shows a withheld third party: the role only."""
    return {
        "heading": f"{person.get_role_display()}: {marker}",
        "rows": [("Details", f"{marker} {note}".strip())],
    }


def people_rows_withholding(
    referral: Referral, held: set[int], *, marker: str = REDACTED, note: str = EXPORT_NOTE
) -> list[dict]:
    """The referral's network as the PDFs show it, each held person (by id) replaced
    by their role and `marker`."""
    return [
        withheld_person_row(person, marker=marker, note=note) if person.pk in held else row
        for person, row in zip(referral.people.all(), people_rows(referral), strict=True)
    ]


def referrer_is_third_party(referral: Referral) -> bool:
    return referral.source_code in NON_PROFESSIONAL_SOURCES


# --- Names in free text


def name_terms(*names: str, keep: set[str] = frozenset()) -> list[str]:
    """What to look for in free text for someone called `names` (name, nickname): each
    whole name and each part of it of three letters or more, longest first; parts in
    `keep` (the subject's own names, folded) are left out."""
    terms = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        terms.add(name)
        for part in re.split(r"[\s\-]+", name):
            if len(part) >= SHORTEST_NAME_PART:
                terms.add(part)
        for part in name.split():
            if len(part) >= SHORTEST_NAME_PART:
                terms.add(part)
    return sorted((t for t in terms if t.casefold() not in keep), key=lambda t: (-len(t), t))


def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in terms)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class NameMatcher:
    """Finds and replaces one person's names in text (whole words, any case)."""

    terms: tuple[str, ...]

    @classmethod
    def of(cls, *names: str, keep: set[str] = frozenset()) -> "NameMatcher":
        return cls(tuple(name_terms(*names, keep=keep)))

    def found_in(self, text: str) -> bool:
        pattern = _pattern(list(self.terms))
        return bool(text and pattern and pattern.search(text))

    def replace(self, text: str, marker: str = THIRD_PARTY) -> str:
        pattern = _pattern(list(self.terms))
        return pattern.sub(marker, text) if text and pattern else text


def folded_names(*names: str) -> set[str]:
    """The subject's own names (each part, case-folded), never redacted from their
    own bundle."""
    return {part.casefold() for name in names for part in re.split(r"[\s\-]+", name) if part}
