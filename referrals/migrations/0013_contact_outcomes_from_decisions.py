"""Give every submitted referral its contact record (issue 18): the census source of
referral from the referring organisation's kind, and, for those already decided, the
contact outcome the old decision means (referrals.models.choices
CONTACT_OUTCOME_FOR_LEGACY_OUTCOME): s17 and s47 become a referral to children's social
care dated the day decided; nfa, early help, police stay what they were; adult s42 is
adult safeguarding; a transfer is another council's case. An NRM decision becomes a
referral for a child (a child potential victim of modern slavery is a child in need:
Modern Slavery Act 2015 statutory guidance) and adult safeguarding for an adult, by
Referral.is_child; `outcome` keeps "nrm" so the NRM route stays recorded. An ethnicity
typed as one of the census labels or codes gains its code. Rows already coded are left
alone, so running it twice changes nothing."""

from django.db import migrations
from django.utils import timezone

from referrals import codes
from referrals.models.choices import CONTACT_OUTCOME_FOR_LEGACY_OUTCOME, ContactOutcome
from referrals.models.referral import is_child

ETHNICITY_BY_WORDS = {
    **{label.casefold(): code for code, label in codes.ETHNICITY.items()},
    **{label.split(": ")[-1].casefold(): code for code, label in codes.ETHNICITY.items()},
    **{code.casefold(): code for code in codes.ETHNICITY},
}


def _age(referral, day):
    if referral.date_of_birth:
        dob = referral.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    return referral.approximate_age


def _contact_outcome(referral) -> str:
    if referral.outcome == "nrm":
        day = timezone.localdate(referral.submitted_at or referral.created_at)
        child = is_child(referral.subject_type, _age(referral, day))
        return ContactOutcome.REFERRAL if child else ContactOutcome.ADULT_SAFEGUARDING
    return CONTACT_OUTCOME_FOR_LEGACY_OUTCOME.get(referral.outcome, "")


def record_contact_outcomes(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    submitted = Referral.objects.exclude(status="draft").select_related("organisation")
    for referral in submitted.iterator(chunk_size=1000):
        changed = []
        if not referral.source_code:
            referral.source_code = codes.source_for_organisation_kind(referral.organisation.kind)
            changed.append("source_code")
        if not referral.ethnicity_code:
            code = ETHNICITY_BY_WORDS.get(referral.ethnicity.strip().casefold(), "")
            if code:
                referral.ethnicity_code = code
                changed.append("ethnicity_code")
        if referral.outcome and not referral.contact_outcome:
            referral.contact_outcome = _contact_outcome(referral)
            changed.append("contact_outcome")
            if referral.contact_outcome == ContactOutcome.REFERRAL and referral.decided_at:
                referral.cin_referral_date = timezone.localdate(referral.decided_at)
                changed.append("cin_referral_date")
        if changed:
            referral.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0012_contact_outcomes_and_census_codes"),
    ]

    operations = [
        migrations.RunPython(record_contact_outcomes, migrations.RunPython.noop, elidable=True)
    ]
