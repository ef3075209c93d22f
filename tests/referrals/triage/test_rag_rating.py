"""Rating a contact red, amber or green on the triage panel: with a rationale, the
first rating kept beside the current one, each deadline from receipt (a re-rating
never restarts the clock), every rating audited and in the chronology."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from referrals.models import AuditEvent, Rag, RagRating, ReferralEvent
from referrals.triage import services as triage
from tests.auth import sign_in
from tests.factories import submitted_referral
from tests.factories.triage import decided_referral, london

pytestmark = pytest.mark.django_db
RECEIVED = london(2026, 3, 2, 10, 0)  # a Monday


def _received():
    return submitted_referral(submitted_at=RECEIVED)


def _rate(client, user, referral, rating, rationale, follow=False):
    sign_in(client, user)
    url = reverse("referral_rate", args=[referral.reference])
    return client.post(url, {"rating": rating, "rationale": rationale}, follow=follow)


def test_rating_a_contact_amber_sets_its_deadline_one_working_day_from_receipt(client, triager):
    referral = _received()
    with time_machine.travel(london(2026, 3, 2, 15, 0), tick=False):
        response = _rate(client, triager, referral, "amber", "Zoë's school saw three signs.")
    assert response.status_code == 302
    assert response["Location"].endswith("#triage")
    referral.refresh_from_db()
    assert referral.rag_rating == referral.first_rag_rating == Rag.AMBER
    assert referral.rag_due_at == london(2026, 3, 3, 10, 0)
    rating = RagRating.objects.get(referral=referral)
    assert (rating.rating, rating.is_first, rating.rated_by) == ("amber", True, triager)
    assert rating.rationale == "Zoë's school saw three signs."
    assert rating.rated_at == london(2026, 3, 2, 15, 0)
    event = referral.events.get(kind=ReferralEvent.Kind.RATED)
    assert event.text == "Rated Amber. Zoë's school saw three signs."
    assert event.actor_role == "Triage"
    audit = AuditEvent.objects.get(action="referral.rated", referral=referral)
    assert audit.detail == {"rating": "amber", "previous": ""}


def test_re_rating_red_keeps_the_first_rating_and_counts_from_receipt_not_the_re_rating(
    client, triager, other_triager
):
    referral = _received()
    with time_machine.travel(london(2026, 3, 2, 11, 0), tick=False):
        _rate(client, triager, referral, "amber", "Three signs.")
    with time_machine.travel(london(2026, 3, 2, 16, 0), tick=False):
        _rate(client, other_triager, referral, "red", "Łukasz's brother phoned: he is missing.")
    referral.refresh_from_db()
    assert referral.rag_rating == Rag.RED
    assert referral.first_rag_rating == Rag.AMBER
    # Red is 4 hours from receipt (10:00), already passed at 16:00: not 20:00.
    assert referral.rag_due_at == london(2026, 3, 2, 14, 0)
    assert referral.is_rag_overdue(now=london(2026, 3, 2, 16, 1))
    ratings = list(RagRating.objects.filter(referral=referral))
    assert [(r.rating, r.is_first) for r in ratings] == [("amber", True), ("red", False)]
    assert ratings[0].due_at == london(2026, 3, 3, 10, 0)  # the first one is untouched
    texts = list(referral.events.filter(kind="rated").values_list("text", flat=True))
    assert texts[-1] == "Re-rated Amber to Red. Łukasz's brother phoned: he is missing."
    audit = (
        AuditEvent.objects.filter(action="referral.rated", referral=referral).order_by("id").last()
    )
    assert audit.detail == {"rating": "red", "previous": "amber"}


def test_re_rating_without_a_rationale_is_an_error_on_the_form_and_loses_nothing(client, triager):
    referral = _received()
    _rate(client, triager, referral, "amber", "Three signs.")
    response = _rate(client, triager, referral, "red", "   ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the reason for changing the rating" in page
    assert response.context["form"].data["rating"] == "red"
    referral.refresh_from_db()
    assert referral.rag_rating == Rag.AMBER
    assert RagRating.objects.filter(referral=referral).count() == 1


def test_a_first_rating_needs_a_rationale_and_a_rating(client, triager):
    referral = _received()
    response = _rate(client, triager, referral, "", "")
    page = response.content.decode()
    assert "Choose red, amber or green" in page
    assert "Give the reasons for the rating" in page
    response = _rate(client, triager, referral, "purple", "Long " * 400)
    assert "Choose red, amber or green" in response.content.decode()
    assert response.context["form"].data["rationale"] == "Long " * 400
    assert not RagRating.objects.exists()


def test_re_rating_to_the_same_rating_is_refused_on_the_form(client, triager):
    referral = _received()
    _rate(client, triager, referral, "green", "Advice only, probably.")
    response = _rate(client, triager, referral, "green", "Still green.")
    assert "It is already rated green" in response.content.decode()
    assert RagRating.objects.filter(referral=referral).count() == 1


def test_a_decided_referral_cannot_be_rated(client, triager):
    referral = decided_referral(triager)
    response = _rate(client, triager, referral, "red", "Too late.", follow=True)
    assert "The referral cannot be rated: it is decided." in response.content.decode()
    assert not RagRating.objects.exists()


def test_a_rating_is_never_edited_in_place(triager):
    referral = _received()
    rating = triage.referral_rate(referral=referral, user=triager, rating="amber", rationale="A")
    rating.rating = Rag.RED
    with pytest.raises(ValueError, match="never edited"):
        rating.save()


def test_the_deadline_never_resets_however_often_the_contact_is_re_rated(triager):
    referral = _received()
    dues = []
    for hours, rating in enumerate(["green", "amber", "red", "amber"], start=1):
        now = RECEIVED + dt.timedelta(hours=hours)
        triage.referral_rate(referral=referral, user=triager, rating=rating, rationale="R", now=now)
        referral.refresh_from_db()
        dues.append(referral.rag_due_at)
    assert dues == [
        london(2026, 3, 5, 10, 0),
        london(2026, 3, 3, 10, 0),
        london(2026, 3, 2, 14, 0),
        london(2026, 3, 3, 10, 0),
    ]
    assert referral.first_rag_rating == Rag.GREEN


def test_the_panel_shows_the_rating_the_first_rating_the_deadline_and_overdue(client, triager):
    referral = _received()
    triage.referral_rate(
        referral=referral, user=triager, rating="amber", rationale="A", now=RECEIVED
    )
    triage.referral_rate(referral=referral, user=triager, rating="red", rationale="B", now=RECEIVED)
    sign_in(client, triager)
    with time_machine.travel(london(2026, 3, 2, 15, 0), tick=False):
        response = client.get(reverse("referral_detail", args=[referral.reference]))
    rag = response.context["triage_rag"]
    assert rag["label"] == "Red"
    assert rag["first_label"] == "Amber"
    assert rag["due_at"] == london(2026, 3, 2, 14, 0)
    assert "Monday 2 March 2026, 14:00" in response.content.decode()
    assert rag["overdue"] is True
    page = response.content.decode()
    assert "First rated" in page
    assert "Change the RAG rating" in page


def test_the_queue_shows_the_rating_as_text_and_its_deadline(client, triager):
    referral = _received()
    triage.referral_rate(referral=referral, user=triager, rating="red", rationale="B", now=RECEIVED)
    sign_in(client, triager)
    with time_machine.travel(london(2026, 3, 2, 15, 0), tick=False):
        response = client.get(reverse("triage_queue"))
    row = next(r for r in response.context["rows"] if r["reference"] == referral.reference)
    assert (row["rag"], row["rag_class"], row["rag_overdue"]) == ("Red", "govuk-tag--red", True)
    assert row["rag_due"] == "2 Mar 2026 14:00"
    page = response.content.decode()
    assert "RAG rating </span>Red" in page
    assert "Red deadline passed" in page


def test_the_rating_form_says_each_clock_as_configured(client, triager):
    referral = _received()
    sign_in(client, triager)
    response = client.get(reverse("referral_detail", args=[referral.reference]))
    assert (
        "Red: 4 hours, day and night. Amber: 1 working day. Green: 3 working days. "
        "Each counts from when the referral was received."
    ) in response.content.decode()
