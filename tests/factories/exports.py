"""Factories and helpers for the PDF export and monthly summary tests. Every person in
them is invented; every referral is submitted through the real service."""

import datetime as dt
import math
import subprocess
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from accounts.models import Organisation, Role
from referrals.models import ContactOutcome, Export, Referral, Status
from tests.factories import OrganisationFactory, UserFactory, submitted_referral

LONDON = ZoneInfo("Europe/London")


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    """The PDF's text as `pdftotext` (poppler) reads it."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=content, capture_output=True, check=True).stdout.decode()


def flat(text: str) -> str:
    """Whitespace (line breaks in wrapped table cells included) folded to single spaces."""
    return " ".join(text.split())


def downloaded_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def london(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def decide(
    referral: Referral,
    *,
    decided_at: dt.datetime,
    contact_outcome: str,
    next_step: str = "",
    decided_by=None,
) -> None:
    """Record a decision straight in the database (the triage service is another issue's).
    A referral to children's social care is dated the London day it was decided."""
    is_referral = contact_outcome == ContactOutcome.REFERRAL
    Referral.objects.filter(pk=referral.pk).update(
        status=Status.DECIDED,
        decided_at=decided_at,
        decided_by=decided_by,
        contact_outcome=contact_outcome,
        outcome=next_step,
        cin_referral_date=decided_at.astimezone(LONDON).date() if is_referral else None,
        decision_rationale="Invented rationale for the test.",
        time_to_decision=decided_at - referral.submitted_at,
    )


def author_in(kind: str):
    organisation = OrganisationFactory(name=f"Testshire {kind} org", kind=kind)
    return UserFactory(organisation=organisation, roles=[Role.PRACTITIONER])


@dataclass
class Spec:
    """One referral of the known month: what it is and what was decided."""

    day: int
    kind: str = "school"
    urgent: bool = False
    subject: str = "child"
    sex: str = "Female"
    dob: dt.date | None = dt.date(2011, 6, 15)
    approximate_age: int | None = None
    yes: list[str] = field(default_factory=lambda: ["cl-01"])
    decide_after_hours: float | None = None
    outcome: str = "early_help"  # the contact outcome
    next_step: str = ""  # a referral's s17 / s47
    name: tuple[str, str] | None = None
    phone: str = ""
    address: str = ""


# October 2026: the known month. Friday 2 and Friday 9 October make "within one working
# day" differ from "within 24 hours"; times are London time.
OCTOBER = [
    Spec(1, urgent=True, decide_after_hours=3, outcome="referral", next_step="s47"),
    Spec(1, kind="police", decide_after_hours=20, outcome="referral", next_step="s17"),
    Spec(2, kind="police", sex="Male", decide_after_hours=70, outcome="early_help"),  # Fri -> Mon
    Spec(5, kind="health", urgent=True, decide_after_hours=1.5, outcome="police"),
    Spec(5, kind="health", sex="male", dob=dt.date(2016, 1, 1), decide_after_hours=50),  # late
    Spec(6, dob=dt.date(2012, 10, 6), decide_after_hours=30, outcome="nfa"),  # 14 today
    Spec(7, dob=dt.date(2012, 10, 8), decide_after_hours=8, outcome="nfa"),  # 13 until tomorrow
    Spec(8, kind="youth_service", sex="", dob=None, approximate_age=15, decide_after_hours=26),
    Spec(
        9,
        kind="housing",
        subject="adult",
        dob=dt.date(1990, 3, 3),
        yes=["cl-02", "vu-01"],
        decide_after_hours=75,
        outcome="adult_safeguarding",
    ),
    Spec(
        12,
        kind="housing",
        subject="adult",
        sex="Non-binary",
        dob=dt.date(2004, 5, 5),
        yes=["cl-02"],
        decide_after_hours=100,
        outcome="adult_safeguarding",
    ),  # late
    Spec(
        13,
        yes=["cl-01", "cl-02", "cl-03"],
        decide_after_hours=6,
        outcome="referral",
        next_step="s17",
        phone="+447700900123",
    ),
    Spec(
        14,
        kind="voluntary",
        yes=["cl-03"],
        phone="+447700900123",
        address="12 Shared Street",
        decide_after_hours=5,
        outcome="open_case",
    ),
    Spec(15, address="12 Shared Street", decide_after_hours=4, outcome="other_council"),
    Spec(20, name=("Repeata", "Testperson"), dob=dt.date(2010, 2, 2), decide_after_hours=2),
    Spec(22, urgent=True, yes=[]),  # undecided, now overdue
    Spec(27, sex="Female", dob=None, approximate_age=None),  # undecided, age not known
    Spec(30, sex="Male", dob=dt.date(2012, 12, 12), yes=["cl-01", "vu-01"]),  # undecided
]
# Earlier referrals: one of the same person (making the 20 October one a re-referral)
# and two for the trend.
EARLIER = [
    (london(2026, 5, 4), Spec(4, name=("Repeata", "Testperson"), dob=dt.date(2010, 2, 2))),
    (london(2026, 9, 10), Spec(10, urgent=True)),
    (london(2026, 8, 11), Spec(11)),
]
# Outside the month on either side of its London bounds (BST ends 25 October 2026).
OUTSIDE = [
    dt.datetime(2026, 9, 30, 22, 59, tzinfo=dt.UTC),  # 23:59 on 30 Sept in London
    dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC),  # 00:00 on 1 Nov in London
]


def submit_one(spec: Spec, submitted_at: dt.datetime, authors: dict) -> Referral:
    author = authors.setdefault(spec.kind, author_in(spec.kind))
    fields = {
        "author": author,
        "is_urgent": spec.urgent,
        "immediate_danger": "yes" if spec.urgent else "no",
        "subject_type": spec.subject,
        "sex": spec.sex,
        "date_of_birth": spec.dob,
        "approximate_age": spec.approximate_age,
        "yes_to": spec.yes or ["none"],
    }
    if spec.name:
        fields["first_name"], fields["last_name"] = spec.name
    if spec.address:
        fields.update(address_line_1=spec.address, postcode="LS2 7HY")
    people = [{"phone": spec.phone}] if spec.phone else []
    referral = submitted_referral(submitted_at=submitted_at, people=people, **fields)
    if spec.decide_after_hours is not None:
        decide(
            referral,
            decided_at=submitted_at + dt.timedelta(hours=spec.decide_after_hours),
            contact_outcome=spec.outcome,
            next_step=spec.next_step,
        )
    return referral


def known_month(extra_copies: int = 0) -> list[Referral]:
    """The October 2026 referrals (with `extra_copies` more of each, for query counts),
    plus earlier and outside ones. Returns October's, read back from the database."""
    authors: dict = {}
    for submitted_at, spec in EARLIER:
        submit_one(spec, submitted_at, authors)
    for submitted_at in OUTSIDE:
        submit_one(Spec(1, urgent=True), submitted_at, authors)
    for _ in range(extra_copies + 1):
        for spec in OCTOBER:
            submit_one(spec, london(2026, 10, spec.day, 10, 30), authors)
    start, end = london(2026, 10, 1, 0, 0), london(2026, 11, 1, 0, 0)
    return list(
        Referral.objects.filter(submitted_at__gte=start, submitted_at__lt=end).select_related(
            "organisation"
        )
    )


def an_export(referral: Referral, user, **fields) -> Export:
    return Export.objects.create(referral=referral, requested_by=user, **fields)


# --- Figures worked out independently of referrals/figures.py ------------------


def sex_label(value: str) -> str:
    folded = value.strip().lower()
    not_recorded = {"": "Not recorded", "not known": "Not recorded"}
    return {"female": "Female", "male": "Male", **not_recorded}.get(folded, "Another description")


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (PostgreSQL's percentile_cont)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def expected_figures(referrals, now) -> dict:
    """The summary worked out in Python from the referrals themselves."""
    decided = [r for r in referrals if r.decided_at]
    hours = [r.time_to_decision.total_seconds() / 3600 for r in decided]
    return {
        "received": len(referrals),
        "urgent": sum(r.is_urgent for r in referrals),
        "child": sum(r.subject_type == "child" for r in referrals),
        "adult": sum(r.subject_type == "adult" for r in referrals),
        "decided": len(decided),
        "decided_in_time": sum(r.decided_at <= r.decision_due_at for r in decided),
        "decided_late": sum(r.decided_at > r.decision_due_at for r in decided),
        "overdue_undecided": sum(
            r.decided_at is None and r.decision_due_at < now for r in referrals
        ),
        "repeat": sum(r.is_repeat for r in referrals),
        "shared_phone": sum(r.has_shared_phone for r in referrals),
        "shared_address": sum(r.has_shared_address for r in referrals),
        "median_hours": round(percentile(hours, 0.5), 1),
        "p90_hours": round(percentile(hours, 0.9), 1),
        "kinds": {
            kind: sum(r.organisation.kind == kind for r in referrals) for kind in Organisation.Kind
        },
        "outcomes": {o: sum(r.contact_outcome == o for r in referrals) for o in ContactOutcome},
        "age_sex": {
            (r.age_band, sex_label(r.sex)): sum(
                (x.age_band, sex_label(x.sex)) == (r.age_band, sex_label(r.sex)) for x in referrals
            )
            for r in referrals
        },
        "yes": {
            code: sum(
                r.answers.filter(answer="yes", indicator__code=code).exists() for r in referrals
            )
            for code in ["cl-01", "cl-02", "cl-03", "vu-01"]
        },
    }


def restore_migration_data() -> None:
    """After the last flush of a transactional test: put back what the migrations wrote
    (the catalogue, the role groups), so that later tests find the database as the
    migrations left it. Needs the test to have asked for django_db_serialized_rollback."""
    from django.db import connection

    data = getattr(connection, "_test_serialized_contents", None)
    if data:
        connection.creation.deserialize_db_from_string(data)
