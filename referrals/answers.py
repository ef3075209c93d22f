"""A referral's answers as rows of (label, value): what check-your-answers, the referral
page and the PDF all show. Labels and display values are worked out here, so that
templates only lay them out."""

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import formats

from referrals import codes, normalise
from referrals.models import (
    Answer,
    AnswerChoice,
    OtherReferral,
    Person,
    Referral,
    Section,
    YesNo,
)

NOT_GIVEN = "Not given"


def _yes_no(value) -> str:
    return {True: "Yes", False: "No", None: NOT_GIVEN}.get(value, NOT_GIVEN)


def _date(value) -> str:
    return formats.date_format(value, "j F Y") if value else NOT_GIVEN


def _text(value) -> str:
    return value if value not in (None, "") else NOT_GIVEN


def _coded_one(code: str, labels: dict[str, str]) -> str:
    return labels.get(code, code) if code else NOT_GIVEN


def _labels(values, labels: dict[str, str]) -> str:
    return ", ".join(labels.get(code, code) for code in values) or NOT_GIVEN


def _choice(referral: Referral, field: str) -> str:
    return getattr(referral, f"get_{field}_display")() or NOT_GIVEN


def section_rows(referral: Referral) -> dict[str, list[tuple[str, str]]]:
    r = referral
    address = ", ".join(p for p in [r.address_line_1, r.address_line_2, r.town, r.postcode] if p)
    other = dict(OtherReferral.choices)
    rows = {
        "danger": [
            (
                "Anyone in immediate danger?",
                _choice(r, "immediate_danger"),
            ),
        ],
        "subject": [
            ("About", _choice(r, "subject_type")),
            ("Name", _text(" ".join(p for p in [r.first_name, r.last_name] if p))),
            ("Also known as", _text(r.known_as)),
            ("Date of birth", _date(r.date_of_birth)),
            ("Approximate age", _text(r.approximate_age)),
            ("NHS number", _text(normalise.nhs_number_display(r.nhs_number))),
            ("Sex", _text(r.sex)),
            ("Ethnicity (census)", _coded_one(r.ethnicity_code, codes.ETHNICITY)),
            ("Ethnicity", _text(r.ethnicity)),
            ("First language", _text(r.first_language)),
            ("Interpreter needed", _choice(r, "interpreter_needed")),
            ("Disability (census)", _labels(r.disability_codes, codes.DISABILITY)),
            ("Disability or special needs", _text(r.disability)),
            ("Home address", _text(address)),
            ("Where they are now", _text(r.current_whereabouts)),
            ("School, college or placement", _text(r.school_or_placement)),
            ("Services involved", _text(r.services_involved)),
        ],
        "consent": [
            ("Family or adult told", _choice(r, "family_told")),
            ("Consent given", _choice(r, "consent_given")),
            ("Why not", _text(r.no_consent_reason)),
            ("Must not be shared with the family", _text(r.not_to_share)),
            ("Source wants anonymity", _choice(r, "source_wants_anonymity")),
        ],
        "concern": [
            ("Concern", _text(r.concern)),
            ("When and where", _text(r.concern_when_where)),
            ("Seen or heard first-hand", _choice(r, "first_hand")),
            ("In their own words", _text(r.subject_words)),
            ("Done so far", _text(r.actions_taken)),
            ("Other referrals", _text(", ".join(other.get(v, v) for v in r.other_referrals))),
        ],
        "referrer": [
            ("Name", _text(r.referrer_name)),
            ("Role", _text(r.referrer_role)),
            ("Organisation", _text(r.referrer_organisation)),
            ("Work phone", _text(normalise.phone_display(r.referrer_phone))),
            ("Work email", _text(r.referrer_email)),
            ("Relationship", _text(r.referrer_relationship)),
        ],
    }
    if r.immediate_danger == YesNo.YES:
        rows["danger"] += [
            ("Police called?", _yes_no(r.police_called)),
            ("Police log number", _text(r.police_reference)),
        ]
    return rows


def people_rows(referral: Referral) -> list[dict]:
    return [
        {
            "heading": f"{p.get_role_display()}: {p.name or p.nickname or 'name not known'}",
            "rows": [
                ("Nicknames", _text(p.nickname)),
                ("Relationship", _text(p.relationship)),
                ("Parental responsibility", p.get_parental_responsibility_display() or NOT_GIVEN),
                ("Phone", _text(normalise.phone_display(p.phone))),
                ("Address", _text(", ".join(x for x in [p.address, p.postcode] if x))),
                ("Vehicle", _text(p.vehicle_registration)),
                (
                    "Online account",
                    _text(f"{p.get_handle_platform_display()}: {p.handle}" if p.handle else ""),
                ),
                ("Notes", _text(p.notes)),
            ],
        }
        for p in referral.people.all()
    ]


def answer_rows(referral: Referral) -> list[dict]:
    """The answers with the wording the referrer saw (their catalogue version)."""
    return [
        {
            "wording": a.indicator.wording,
            "group": a.indicator.get_group_display(),
            "answer": a.get_answer_display(),
            "detail": a.detail,
            "observed": _date(a.observed_on) if a.observed_on else "",
        }
        for a in referral.answers.all()
    ]


def decision_basis(referral: Referral) -> dict:
    """What a triage decision is about, shown beside the outcome choices: the warning
    signs answered yes (worded as the referrer saw them) and the concern."""
    answers = Answer.objects.filter(referral=referral, answer=AnswerChoice.YES)
    return {
        "warning_signs": [a.indicator.wording for a in answers.select_related("indicator")],
        "concern": _text(referral.concern),
    }


def suggested_factors(referral: Referral) -> list[str]:
    """The census factors the warning signs answered yes point to (referrals.codes)."""
    answered = Answer.objects.filter(referral=referral, answer=AnswerChoice.YES)
    return codes.factors_suggested_by(answered.values_list("indicator__code", flat=True))


def _coded(values, labels: dict[str, str]) -> str:
    return "\n".join(f"{code}: {labels.get(code, code)}" for code in values) or NOT_GIVEN


def front_door_rows(referral: Referral) -> list[tuple[str, str]]:
    """The contact's statutory record as triage keeps it (issue 18), for the triage
    panel and the PDF: the contact outcome and its particulars, the census source and
    factors, and the cross-references."""
    r = referral
    rows = []
    if r.contact_outcome:
        rows.append(("Contact outcome", r.outcome_label))
    if r.screening_reason:
        reason = r.get_screening_reason_display()
        if r.duplicate_of_id:
            reason = f"{reason}: {r.duplicate_of.reference}"
        rows.append(("Screening not required because", reason))
    if r.cin_referral_date:
        rows.append(("CIN referral date", _date(r.cin_referral_date)))
    source = _coded([r.source_code] if r.source_code else [], codes.SOURCE_OF_REFERRAL)
    if r.source_code_reason:
        source = f"{source}\nCorrected by triage: {r.source_code_reason}"
    rows += [
        ("Source of referral", source),
        ("Factors identified", _coded(r.factors, codes.FACTORS)),
        ("Police log or crime reference", _text(r.police_crime_reference)),
        ("NRM reference", _text(r.nrm_reference)),
        ("Other council's case ID", _text(r.other_council_case_id)),
    ]
    return rows


def check_answers_rows(referral: Referral) -> list[dict]:
    by_section = section_rows(referral)
    sections = []
    for slug, title in Section.choices:
        sections.append(
            {
                "slug": slug,
                "title": title,
                "rows": by_section.get(slug, []),
                "complete": slug in referral.sections_completed,
            }
        )
    return sections


def load_details(referral: Referral) -> None:
    # Onto the instance the permission check fetched (with its organisation and
    # author), rather than reading the referral a second time.
    prefetch_related_objects(
        [referral],
        Prefetch("answers", queryset=Answer.objects.select_related("indicator")),
        Prefetch("people", queryset=Person.objects.order_by("role", "id")),
    )
