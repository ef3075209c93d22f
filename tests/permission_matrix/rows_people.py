"""Person records, the duplicates queue, a referral's network and the MACE list
(referrals/people/urls.py, issue 20): Triage and Managers for person records and the
queue, triage leads for decisions, Triage for a referral's network, Managers for the
MACE list. Practitioners (and partners, tests/referrals/people) get 404."""

from tests.permission_matrix.base import NOT_ALLOWED, OK, REDIRECT, Row, only


def _record(w):
    return {"pk": w.referral.person.record_id}


def _submitted(w):
    return {"reference": w.referral.reference}


def _lead(w):
    if not w.triager.is_triage_lead:
        w.triager.is_triage_lead = True
        w.triager.save(update_fields=["is_triage_lead"])


def _duplicate(w):
    from referrals.models import PersonRecord, PossibleDuplicate

    found = PossibleDuplicate.objects.create(
        record=w.referral.person.record, other=PersonRecord.objects.create(), reason="similar"
    )
    return {"pk": found.pk}


def _duplicate_for_lead(w):
    _lead(w)
    return _duplicate(w)


def _decision(w):
    from referrals.models import PersonRecord
    from referrals.person_records import person_record_mark_not_same

    _lead(w)
    decision = person_record_mark_not_same(
        record=w.referral.person.record, other=PersonRecord.objects.create(), user=w.triager
    )
    return {"pk": decision.pk}


ROWS = [
    Row("person_detail", only(OK, "triager", "manager"), kwargs=_record),
    Row("person_detail", only(NOT_ALLOWED, "triager", "manager"), kwargs=_record, method="post"),
    Row("duplicates_queue", only(OK, "triager", "manager")),
    Row("duplicate_decide", only(), kwargs=_duplicate, note="not a triage lead: 404"),
    Row("duplicate_decide", only(OK, "triager"), kwargs=_duplicate_for_lead, note="a lead"),
    Row(
        "duplicate_decide",
        only(REDIRECT, "triager"),
        kwargs=_duplicate_for_lead,
        method="post",
        data=lambda w: {"decision": "not_same"},
        note="a lead decides",
    ),
    Row(
        "person_decision_undo",
        only(REDIRECT, "triager"),
        kwargs=_decision,
        method="post",
        note="a lead undoes",
    ),
    Row("referral_network", only(OK, "triager"), kwargs=_submitted),
    Row("mace_report", only(OK, "manager")),
]
