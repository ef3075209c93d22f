"""Other councils (administrators), recording a home council and corrections (triage):
referrals/areas/urls.py and referrals/corrections/urls.py (issue 18)."""

from tests.permission_matrix.base import NOT_ALLOWED, OK, REDIRECT, Row, only


def _submitted(w):
    return {"reference": w.referral.reference}


def _council(w):
    from referrals.models import Council

    council, _ = Council.objects.get_or_create(
        name="Matrixshire Council", defaults={"front_door_email": "mash@matrixshire.example"}
    )
    return {"pk": council.pk}


def _decided(w):
    from referrals.triage import services as triage

    referral = triage.referral_claim(referral=w.referral, user=w.triager)
    triage.referral_decide(
        referral=referral, user=w.triager, contact_outcome="nfa", rationale="Matrix."
    )
    return {"reference": w.referral.reference}


ROWS = [
    Row("council_list", only(OK, "admin")),
    Row("council_list", only(NOT_ALLOWED, "admin"), method="post", note="GET only"),
    Row("council_add", only(OK, "admin")),
    Row("council_edit", only(OK, "admin"), kwargs=_council),
    Row(
        "council_edit",
        only(REDIRECT, "admin"),
        kwargs=_council,
        method="post",
        data=lambda w: {"name": "Matrixshire Council", "front_door_email": "mash@m.example"},
    ),
    Row("referral_home_council", only(OK, "triager"), kwargs=_submitted),
    Row("referral_correct_contact", only(OK, "triager"), kwargs=_submitted),
    Row("referral_correct_decision", only(OK, "triager"), kwargs=_decided),
]
