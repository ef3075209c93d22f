"""The retention schedule as data, and the one rule that applies it (issue 21): a
contact with no further action is kept six years after the decision; a referral that
became a case until the subject's 25th birthday or six years, whichever is later."""

import datetime as dt

from referrals.models import RetentionClass
from referrals.models.retention import retention_due
from tests.factories.exports import london
from tests.factories.retention import decided_contact

DECIDED = london(2020, 3, 10, 11)


def _due(referral):
    retention_class, due_on = retention_due(referral, list(RetentionClass.objects.all()))
    return retention_class.code, due_on


def test_the_migration_seeds_the_default_classes():
    classes = {c.code: c for c in RetentionClass.objects.all()}
    assert set(classes) == {"contact-nfa", "case", "adult-safeguarding", "draft", "export"}
    assert classes["contact-nfa"].period_years == 6
    assert classes["case"].until_age == 25
    assert classes["draft"].period_days == 30
    assert classes["export"].period_days == 7


def test_a_contact_with_no_further_action_is_due_six_years_after_the_decision(triager):
    referral = decided_contact(triager, decided_on=DECIDED, outcome="nfa")
    assert _due(referral) == ("contact-nfa", dt.date(2026, 3, 10))


def test_a_case_about_a_young_child_is_kept_until_the_25th_birthday(triager):
    referral = decided_contact(
        triager, decided_on=DECIDED, outcome="referral", date_of_birth=dt.date(2012, 7, 4)
    )
    assert _due(referral) == ("case", dt.date(2037, 7, 4))


def test_a_case_about_a_seventeen_year_old_is_kept_six_years_when_that_is_later(triager):
    referral = decided_contact(
        triager, decided_on=DECIDED, outcome="referral", date_of_birth=dt.date(2002, 9, 1)
    )
    # 25th birthday 1 September 2027 is later than 10 March 2026: the birthday wins...
    assert _due(referral) == ("case", dt.date(2027, 9, 1))
    older = decided_contact(
        triager, decided_on=DECIDED, outcome="referral", date_of_birth=dt.date(2000, 1, 2)
    )
    # ...and for one whose 25th birthday (2 January 2025) came first, the six years.
    assert _due(older) == ("case", dt.date(2026, 3, 10))


def test_without_a_date_of_birth_the_latest_possible_birthday_counts(triager):
    referral = decided_contact(
        triager,
        decided_on=DECIDED,
        outcome="referral",
        date_of_birth=None,
        approximate_age=15,
    )
    assert _due(referral) == ("case", dt.date(2031, 3, 10))


def test_adult_safeguarding_is_kept_six_years(triager):
    referral = decided_contact(
        triager,
        decided_on=DECIDED,
        outcome="adult_safeguarding",
        subject_type="adult",
        date_of_birth=dt.date(1970, 1, 1),
    )
    assert _due(referral) == ("adult-safeguarding", dt.date(2026, 3, 10))


def test_an_undecided_contact_has_no_retention_date(triager):
    from tests.factories import submitted_referral

    assert retention_due(submitted_referral(), list(RetentionClass.objects.all())) == (None, None)


def test_an_administrator_changing_a_period_changes_the_date(triager):
    RetentionClass.objects.filter(code="contact-nfa").update(period_years=7)
    referral = decided_contact(triager, decided_on=DECIDED, outcome="nfa")
    assert _due(referral) == ("contact-nfa", dt.date(2027, 3, 10))
