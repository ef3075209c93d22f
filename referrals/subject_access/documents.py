"""The subject access bundle, from the referrals to HTML: every referral about the
person in time order, each with its details, decision, chronology (notes, messages),
the referrer's additions, questions to the referrer, partners' answers and hand-offs.

Third parties are withheld by default (referrals/redaction.py: the rule the redacted
export uses): each network entry, a referrer who is not a professional, and each
mention of their names in free text is a *proposed redaction* with a stable key. The
administrator's review releases some keys (SubjectAccessRequest.unredacted); the PDF
is rendered with every other proposal applied, and the review page lists them all."""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from referrals import redaction
from referrals.answers import answer_rows, check_answers_rows, load_details, people_rows
from referrals.models import Referral, ReferralEvent, SubjectAccessBundle, SubjectAccessRequest

THIRD_PARTY = redaction.THIRD_PARTY
# The access log is not part of the record about the person (and names every viewer).
LEFT_OUT_EVENTS = {ReferralEvent.Kind.VIEWED}
# The form's sections are worded to the referrer ("Your concern", "About you"); the
# bundle is read by the person it is about.
SECTION_TITLES = {"concern": "What was reported", "referrer": "Who referred"}


@dataclass(frozen=True)
class Proposal:
    key: str
    reference: str
    where: str
    what: str


@dataclass
class Redactor:
    """Collects the proposed redactions while the bundle is built and applies those not
    released. `people` are (key, label, matcher) for every third party in the bundle."""

    unredacted: set[str]
    keep: set[str] = field(default_factory=set)  # the subject's own names, folded
    people: list[tuple[str, str, redaction.NameMatcher]] = field(default_factory=list)
    proposals: dict[str, Proposal] = field(default_factory=dict)

    def withhold(self, key: str, reference: str, where: str, what: str) -> bool:
        self.proposals.setdefault(key, Proposal(key, reference, where, what))
        return key not in self.unredacted

    def text(self, value: str, *, reference: str, where: str, slug: str) -> str:
        for person_key, label, matcher in self.people:
            if value and matcher.found_in(value):
                key = f"mention:{person_key}:{slug}"
                if self.withhold(key, reference, where, f"{label} (named in the text)"):
                    value = matcher.replace(value, THIRD_PARTY)
        return value

    @property
    def applied(self) -> int:
        return sum(key not in self.unredacted for key in self.proposals)


def _third_parties(referrals: list[Referral], keep: set[str]) -> list:
    """(key, label, matcher) for each third party named in the bundle's referrals: the
    same name on several referrals is one person to look for."""
    found, seen = [], set()
    for referral in referrals:
        for person in referral.people.all():
            matcher = redaction.NameMatcher.of(person.name, person.nickname, keep=keep)
            if matcher.terms and matcher.terms not in seen:
                seen.add(matcher.terms)
                found.append((f"person{person.pk}", redaction.person_label(person), matcher))
        if redaction.referrer_is_third_party(referral) and referral.referrer_name:
            matcher = redaction.NameMatcher.of(referral.referrer_name, keep=keep)
            if matcher.terms and matcher.terms not in seen:
                seen.add(matcher.terms)
                label = f"The referrer: {referral.referrer_name}"
                found.append((f"referrer{referral.pk}", label, matcher))
    return found


def _sections(referral: Referral, r: Redactor) -> list[dict]:
    ref = referral.reference
    sections = []
    for section in check_answers_rows(referral):
        slug, title = section["slug"], section["title"]
        if slug in ("network", "indicators"):
            continue
        rows = section["rows"]
        title = SECTION_TITLES.get(slug, title)
        what = f"The referrer: {referral.referrer_name}"
        if (
            slug == "referrer"
            and redaction.referrer_is_third_party(referral)
            and r.withhold(f"referrer:{referral.pk}", ref, title, what)
        ):
            rows = [(label, THIRD_PARTY) for label, _ in rows]
        rows = [
            (label, r.text(value, reference=ref, where=title, slug=f"r{referral.pk}.{slug}.{i}"))
            for i, (label, value) in enumerate(rows)
        ]
        sections.append({"title": title, "rows": rows})
    return sections


def _people(referral: Referral, r: Redactor) -> list[dict]:
    """Each network entry withheld, or released with the other third parties' names
    in it still withheld."""
    where, rows = "Household and network", []
    for person, row in zip(referral.people.all(), people_rows(referral), strict=True):
        label = redaction.person_label(person)
        if r.withhold(f"person:{person.pk}", referral.reference, where, label):
            rows.append(redaction.withheld_person_row(person, marker=THIRD_PARTY, note=""))
            continue
        rows.append(
            {
                "heading": row["heading"],
                "rows": [
                    (name, _others_withheld(r, value, referral, person, f"person{person.pk}.{i}"))
                    for i, (name, value) in enumerate(row["rows"])
                ],
            }
        )
    return rows


def _others_withheld(r: Redactor, value: str, referral: Referral, person, slug: str) -> str:
    """A released entry's text with everyone else's names withheld (their own stays)."""
    saved, own = r.people, redaction.NameMatcher.of(person.name, person.nickname).terms
    r.people = [p for p in saved if p[2].terms != own]
    try:
        return r.text(value, reference=referral.reference, where="Household and network", slug=slug)
    finally:
        r.people = saved


def _actor(event, referral: Referral, r: Redactor) -> str:
    if event.actor is None:
        return "The portal"
    key = f"referrer:{referral.pk}"
    if (
        event.actor_id == referral.author_id
        and redaction.referrer_is_third_party(referral)
        and r.withhold(
            key, referral.reference, "Who referred", f"The referrer: {referral.referrer_name}"
        )
    ):
        return "The referrer"
    return event.actor.full_name or "A member of staff"


def _referral(referral: Referral, r: Redactor) -> dict:
    load_details(referral)
    ref = referral.reference

    def text(value, where, slug):
        return r.text(value, reference=ref, where=where, slug=slug)

    events = [
        {
            "at": timezone.localtime(e.occurred_at),
            "kind": e.get_kind_display(),
            "actor": _actor(e, referral, r),
            "text": text(e.text, "Chronology", f"event{e.pk}"),
        }
        for e in referral.events.select_related("actor").exclude(kind__in=LEFT_OUT_EVENTS)
    ]
    answers = [
        {**row, "detail": text(row["detail"], "Warning signs", f"r{referral.pk}.answer{i}")}
        for i, row in enumerate(answer_rows(referral))
    ]
    addenda = [
        {
            "at": timezone.localtime(a.created_at),
            "kind": a.get_kind_display(),
            "text": text(a.body, "Added by the referrer", f"addendum{a.pk}"),
        }
        for a in referral.addenda.all()
    ]
    questions = [
        {
            "at": timezone.localtime(q.asked_at),
            "by": q.asked_by.full_name,
            "text": text(q.text, "Questions to the referrer", f"question{q.pk}"),
        }
        for q in referral.referrer_questions.select_related("asked_by")
    ]
    partners = [
        {
            "organisation": i.organisation.name,
            "sent_at": timezone.localtime(i.sent_at),
            "question": text(i.question, "Information from partners", f"partner{i.pk}.q"),
            "answered_at": timezone.localtime(i.answered_at) if i.answered_at else None,
            "answer": text(i.answer, "Information from partners", f"partner{i.pk}.a"),
        }
        for i in referral.information_requests.select_related("organisation").order_by("sent_at")
    ]
    handoffs = [
        {
            "team": h.team.name if h.team_id else "No receiving team yet",
            "at": timezone.localtime(h.created_at),
            "state": h.get_state_display(),
        }
        for h in referral.handoffs.select_related("team").order_by("created_at")
    ]
    return {
        "reference": ref,
        "received": timezone.localtime(referral.submitted_at) if referral.submitted_at else None,
        "status": referral.get_status_display(),
        "outcome": referral.outcome_label,
        "decided_at": timezone.localtime(referral.decided_at) if referral.decided_at else None,
        "decided_by": referral.decided_by.full_name if referral.decided_by_id else "",
        "rationale": text(referral.decision_rationale, "Decision", f"r{referral.pk}.rationale"),
        "message": text(referral.message_to_referrer, "Decision", f"r{referral.pk}.message"),
        "sections": _sections(referral, r),
        "people": _people(referral, r),
        "answers": answers,
        "events": events,
        "addenda": addenda,
        "questions": questions,
        "partners": partners,
        "handoffs": handoffs,
    }


def bundle(referrals: list[Referral], unredacted) -> tuple[list[dict], Redactor]:
    """The referrals as the bundle shows them (oldest first) and the redactor that
    holds every proposal and how many were applied."""
    referrals = sorted(referrals, key=lambda x: (x.submitted_at or x.created_at, x.pk))
    keep = set()
    for referral in referrals:
        keep |= redaction.folded_names(referral.first_name, referral.last_name, referral.known_as)
    redactor = Redactor(unredacted=set(unredacted or []), keep=keep)
    redactor.people = _third_parties(referrals, keep)
    return [_referral(referral, redactor) for referral in referrals], redactor


def proposals(referrals: list[Referral], unredacted) -> list[Proposal]:
    """Every proposed redaction, in the bundle's order (the review page)."""
    _, redactor = bundle(referrals, unredacted)
    return list(redactor.proposals.values())


def bundle_html(sar: SubjectAccessRequest, row: SubjectAccessBundle, referrals) -> tuple:
    """The bundle's HTML and its redactor (for the counts kept on the bundle)."""
    shown, redactor = bundle(referrals, row.unredacted)
    context = {
        "sar": sar,
        "referrals": shown,
        "produced_by": row.requested_by.full_name or row.requested_by.email,
        "produced_on": timezone.localtime(row.requested_at),
        "redacted": redactor.applied,
        "marker": THIRD_PARTY,
    }
    return render_to_string("referrals/subject_access/pdf/bundle.html", context), redactor
