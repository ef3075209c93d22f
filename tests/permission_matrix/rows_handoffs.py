"""Hand-offs (issue 19, referrals/handoffs/urls.py): receiving teams (administrators),
routing an unrouted hand-off (triage), the receiving team's list and acknowledgement
(Partner users of the team's organisation: none of the matrix personas) and the public
acknowledgement link (anyone: the token is the credential)."""

from tests.permission_matrix.base import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, expect, only


def _team(w):
    from tests.factories.handoffs import early_help_team

    return {"pk": early_help_team().pk}


def _unrouted(w):
    """Decided early help with two teams taking it: triage chooses."""
    from tests.factories.handoffs import decided, early_help_team, handoff_of

    early_help_team()
    early_help_team(name="Matrixshire Early Help", mailbox="eh@matrixshire.example")
    decided(w.referral, w.triager)
    return {"reference": w.referral.reference, "pk": handoff_of(w.referral).pk}


def _sent(w):
    from tests.factories.handoffs import decided, early_help_team, handoff_of

    early_help_team()
    decided(w.referral, w.triager)
    return handoff_of(w.referral)


def _sent_pk(w):
    return {"pk": _sent(w).pk}


def _token(w):
    return {"token": _sent(w).ack_token()}


ROWS = [
    Row("receiving_team_list", only(OK, "admin")),
    Row("receiving_team_list", only(NOT_ALLOWED, "admin"), method="post", note="GET only"),
    Row("receiving_team_add", only(OK, "admin")),
    Row("receiving_team_edit", only(OK, "admin"), kwargs=_team),
    Row(
        "receiving_team_edit",
        only(REDIRECT, "admin"),
        kwargs=_team,
        method="post",
        data=lambda w: {
            "name": "Matrix Early Help",
            "receives": ["early_help"],
            "mailbox": "a@b.example",
            "active": "on",
        },
    ),
    Row("referral_handoff_route", only(OK, "triager"), kwargs=_unrouted),
    Row(
        "handoff_list",
        only(OK, "partner"),
        note="Partner users only; a partner agency with no receiving team sees an empty list",
    ),
    Row(
        "handoff_acknowledge",
        only(OK),
        kwargs=_sent_pk,
        method="post",
        note="Partner users of the team's organisation only",
    ),
    Row("handoff_acknowledge_link", expect(OK, anonymous=OK), kwargs=_token),
    Row(
        "handoff_acknowledge_link",
        expect(OK, anonymous=OK),
        kwargs=_token,
        method="post",
        note="public: the token is the credential; single use",
    ),
    Row(
        "handoff_acknowledge_link",
        expect(NOT_FOUND, anonymous=NOT_FOUND),
        kwargs=lambda w: {"token": "not-a-token"},
        note="an unknown token gets a clear page",
    ),
]
