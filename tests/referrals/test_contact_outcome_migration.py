"""Migration 0013: the decisions made before contact outcomes existed become contact
outcomes, sources and ethnicity codes (run on rows, as the migration runs)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from referrals.models import ContactOutcome, Referral
from tests.factories import OrganisationFactory, ReferralFactory, UserFactory
from tests.factories.triage import london

migration = importlib.import_module("referrals.migrations.0013_contact_outcomes_from_decisions")

pytestmark = pytest.mark.django_db


def _decided(outcome, **fields):
    referral = ReferralFactory(**fields)
    Referral.objects.filter(pk=referral.pk).update(
        status="decided",
        outcome=outcome,
        submitted_at=london(2026, 3, 2, 9, 0),
        # 00:30 in London on 28 March is still 27 March in UTC: the date is London's.
        decided_at=london(2026, 3, 28, 0, 30),
    )
    return referral


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("s17", ContactOutcome.REFERRAL),
        ("s47", ContactOutcome.REFERRAL),
        ("nfa", ContactOutcome.NFA),
        ("early_help", ContactOutcome.EARLY_HELP),
        ("police", ContactOutcome.POLICE),
        ("adult_s42", ContactOutcome.ADULT_SAFEGUARDING),
        ("transfer", ContactOutcome.OTHER_COUNCIL),
    ],
)
def test_each_old_decision_becomes_its_contact_outcome(old, new):
    referral = _decided(old)
    migration.record_contact_outcomes(apps, None)
    referral.refresh_from_db()
    assert referral.contact_outcome == new
    assert referral.outcome == old  # the old decision stays readable
    expected_date = dt.date(2026, 3, 28) if new == ContactOutcome.REFERRAL else None
    assert referral.cin_referral_date == expected_date


def test_an_nrm_decision_is_a_referral_for_a_child_and_adult_safeguarding_for_an_adult():
    child = _decided("nrm", subject_type="child")
    adult = _decided("nrm", subject_type="adult", date_of_birth=dt.date(1990, 5, 1))
    young_adult = _decided("nrm", subject_type="adult", date_of_birth=dt.date(2009, 1, 1))
    migration.record_contact_outcomes(apps, None)
    for referral in (child, adult, young_adult):
        referral.refresh_from_db()
    assert child.contact_outcome == ContactOutcome.REFERRAL
    assert child.cin_referral_date == dt.date(2026, 3, 28)
    assert adult.contact_outcome == ContactOutcome.ADULT_SAFEGUARDING
    assert adult.cin_referral_date is None
    # 17 when received: "adult" on the form, but anyone who may be under 18 is a child.
    assert young_adult.contact_outcome == ContactOutcome.REFERRAL
    assert {child.outcome, adult.outcome, young_adult.outcome} == {"nrm"}


def test_every_submitted_referral_gains_the_source_for_its_organisation_kind():
    police = UserFactory(organisation=OrganisationFactory(name="Testshire Police", kind="police"))
    charity = UserFactory(
        organisation=OrganisationFactory(name="Testshire Trust", kind="voluntary")
    )
    by_police = _decided("nfa", author=police)
    by_charity = ReferralFactory(author=charity)
    Referral.objects.filter(pk=by_charity.pk).update(status="submitted")
    draft = ReferralFactory(author=police)
    migration.record_contact_outcomes(apps, None)
    assert Referral.objects.get(pk=by_police.pk).source_code == "6"
    assert Referral.objects.get(pk=by_charity.pk).source_code == "8"
    assert Referral.objects.get(pk=draft.pk).source_code == ""
    undecided = Referral.objects.get(pk=by_charity.pk)
    assert undecided.contact_outcome == ""


def test_an_ethnicity_typed_as_a_census_label_gains_its_code_and_other_words_do_not():
    labelled = _decided("nfa", ethnicity="White: Irish")
    short = _decided("nfa", ethnicity="  pakistani ")
    coded = _decided("nfa", ethnicity="WROM")
    free = _decided("nfa", ethnicity="Zoë says Scottish and Ghanaian")
    migration.record_contact_outcomes(apps, None)
    codes = {r.pk: r.ethnicity_code for r in Referral.objects.all()}
    assert codes[labelled.pk] == "WIRI"
    assert codes[short.pk] == "APKN"
    assert codes[coded.pk] == "WROM"
    assert codes[free.pk] == ""


def test_running_it_twice_keeps_what_triage_has_since_corrected():
    referral = _decided("s17")
    migration.record_contact_outcomes(apps, None)
    Referral.objects.filter(pk=referral.pk).update(source_code="3A", contact_outcome="open_case")
    migration.record_contact_outcomes(apps, None)
    referral.refresh_from_db()
    assert (referral.source_code, referral.contact_outcome) == ("3A", "open_case")


clearing = importlib.import_module("referrals.migrations.0014_outcome_is_the_referrals_next_step")


def test_then_outcome_keeps_only_a_referrals_next_step_and_the_nrm_route():
    rows = {old: _decided(old) for old in ["s17", "s47", "nfa", "police", "adult_s42", "nrm"]}
    migration.record_contact_outcomes(apps, None)
    clearing.clear_moved_outcomes(apps, None)
    outcomes = dict(Referral.objects.values_list("pk", "outcome"))
    assert {old: outcomes[r.pk] for old, r in rows.items()} == {
        "s17": "s17",
        "s47": "s47",
        "nfa": "",
        "police": "",
        "adult_s42": "",
        "nrm": "nrm",
    }
    clearing.restore_moved_outcomes(apps, None)  # the way back
    outcomes = dict(Referral.objects.values_list("pk", "outcome"))
    assert outcomes[rows["adult_s42"].pk] == "adult_s42"
    assert outcomes[rows["police"].pk] == "police"
