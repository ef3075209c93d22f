"""Saving what a section form collected onto a draft (the form layer only shapes
input; these functions write it)."""

from django.db import transaction

from indicators.models import Group, Indicator
from referrals.intake.services import referral_mark_section
from referrals.models import Answer, Referral


def indicators_for(referral: Referral) -> list[Indicator]:
    """The indicators the referral asks about: its catalogue version's active ones for
    the subject (all audiences until the subject type is known)."""
    indicators = referral.catalogue_version.indicators.filter(active=True)
    if referral.subject_type:
        indicators = indicators.for_audience(referral.subject_type)
    group_order = {group: i for i, group in enumerate(Group.values)}
    return sorted(indicators, key=lambda ind: (group_order[ind.group], ind.order))


@transaction.atomic
def draft_save_answers(*, referral: Referral, answers: dict, complete: bool) -> None:
    """Replace the draft's answers with `answers` ({code: (answer, detail, observed_on)})."""
    by_code = {ind.code: ind for ind in indicators_for(referral)}
    referral.answers.exclude(indicator__code__in=answers).delete()
    existing = {a.indicator.code: a for a in referral.answers.select_related("indicator")}
    to_create, to_update = [], []
    for code, (answer, detail, observed_on) in answers.items():
        row = existing.get(code) or Answer(referral=referral, indicator=by_code[code])
        row.answer, row.detail, row.observed_on = answer, detail, observed_on
        (to_update if row.pk else to_create).append(row)
    Answer.objects.bulk_create(to_create)
    Answer.objects.bulk_update(to_update, ["answer", "detail", "observed_on"])
    if complete:
        referral_mark_section(referral=referral, section="indicators")
    else:
        referral.save(update_fields=["updated_at"])


@transaction.atomic
def draft_save_section(*, referral_form, section: str, complete: bool) -> Referral:
    referral = referral_form.save()
    if complete:
        referral_mark_section(referral=referral, section=section)
    return referral


@transaction.atomic
def draft_save_people(*, referral: Referral, formset, complete: bool) -> None:
    formset.save()
    if complete:
        referral_mark_section(referral=referral, section="network")
