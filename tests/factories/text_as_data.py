"""Text a person wrote, made hostile: markup that would fetch from another origin or
redirect the page, and template code that would print the viewer's details if it were
ever compiled. Every free-text field a person fills in gets some of it, so that pages,
PDFs and emails can be checked to show it as typed (OWASP ASVS 5.0 V1.2: output
encoding for the context; issue #15). Every name here is invented."""

import datetime as dt

from django.utils import timezone

from accounts.models import AccountRequest, AllowedEmailDomain
from indicators.models import CatalogueVersion
from indicators.services import catalogue_publish
from referrals.models import Answer, Notification
from referrals.triage import services as triage
from tests.factories import PersonFactory, ReferralFactory, submitted_referral

ATTACKER = "attacker.invalid"
PAYLOADS = [
    "<b id=x>",
    f"<img src=//{ATTACKER}/x>",
    f'<meta http-equiv=refresh content="0;url=//{ATTACKER}">',
    f"<style>@import url(//{ATTACKER}/s.css)</style>",
    "{{ request.user.email }}",
    "{% debug %}",
    "{{7*7}}",
]
ALL = " ".join(PAYLOADS)  # 198 characters: fits a 200-character field
# Shorter pieces for fields of 100 or 150 characters; together they hold every payload.
PART_A = f"{PAYLOADS[0]} {PAYLOADS[1]} {PAYLOADS[6]} {PAYLOADS[5]}"
PART_B = f"{PAYLOADS[2]} {PAYLOADS[6]}"
PART_C = f"{PAYLOADS[3]} {PAYLOADS[4]}"

INDICATOR_CODE = "cl-10"  # asked about children and adults alike
WORDING = f"Hotel cards {ALL}"
GUIDANCE = f"Ask where they stay {ALL}"
CHANGE_SUMMARY = f"Reworded {ALL}"

ORGANISATION_NAME = ALL
AUTHOR = {"full_name": f"Pat {PART_A} {PART_C}", "job_title": f"Lead {PART_B}"}
TRIAGER_NAME = f"Tara {PART_B} {PART_A}"
MANAGER_NAME = f"Mo {PART_C} {PART_B}"

REFERRAL_FIELDS = {
    "first_name": f"Ann {PART_A}",
    "last_name": f"Lee {PART_C}",
    "known_as": ALL,
    "ethnicity": f"Ethnicity {PART_B}",
    "first_language": f"Language {PART_A}",
    "disability": f"Disability {ALL}",
    "address_line_1": ALL,
    "town": f"Town {PART_C}",
    "current_whereabouts": f"Whereabouts {ALL}",
    "school_or_placement": ALL,
    "services_involved": f"Services {ALL}",
    "no_consent_reason": f"No consent {ALL}",
    "not_to_share": f"Not to share {ALL}",
    "concern": f"Concern {ALL}",
    "concern_when_where": f"When and where {ALL}",
    "subject_words": f"In their words {ALL}",
    "actions_taken": f"Actions {ALL}",
    "referrer_name": f"Referrer {PART_A} {PART_C}",
    "referrer_role": f"Role {PART_B}",
    "referrer_organisation": ALL,
    "referrer_relationship": ALL,
}
PERSON = {
    "role": "suspected_exploiter",
    "name": ALL,
    "nickname": f"{PART_A} {PART_C}",
    "relationship": f"Cousin {PART_B}",
    "address": f"Flat {ALL}",
    "notes": f"Person notes {ALL}",
}
ANSWER_DETAIL = f"Detail {ALL}"
NOTE = f"Note {ALL}"
RATIONALE = f"Rationale {ALL}"
MESSAGE = f"Message {ALL}"

REQUESTER = {"full_name": f"Ria {PART_A} {PART_C}", "job_title": f"Teacher {PART_B}"}
DOMAIN = f"{PAYLOADS[0]}{PAYLOADS[6]}{PAYLOADS[1]}.invalid"
SMTP_ERROR = f"550 refused {ALL}"


def hostile_catalogue(user) -> CatalogueVersion:
    """A manager's new wording and guidance for one warning sign, through the service
    that publishes a catalogue version."""
    return catalogue_publish(
        user=user,
        changes={INDICATOR_CODE: {"wording": WORDING, "guidance": GUIDANCE}},
        summary=CHANGE_SUMMARY,
    )


def _answer_with_detail(referral) -> None:
    Answer.objects.filter(referral=referral, indicator__code=INDICATOR_CODE).update(
        detail=ANSWER_DETAIL
    )


def hostile_draft(author):
    """A draft with every section answered, ready for "Check your answers"."""
    draft = ReferralFactory(author=author, yes_to=[INDICATOR_CODE], **REFERRAL_FIELDS)
    PersonFactory(referral=draft, **PERSON)
    _answer_with_detail(draft)
    return draft


def hostile_referral(author, **fields):
    """A referral submitted through the real service, hostile text everywhere."""
    referral = submitted_referral(
        author=author, people=[PERSON], yes_to=[INDICATOR_CODE], **{**REFERRAL_FIELDS, **fields}
    )
    _answer_with_detail(referral)
    return referral


def hostile_decided_referral(author, worker, **fields):
    """Claimed, noted, decided with reasons and a message to the referrer."""
    referral = hostile_referral(author, **fields)
    referral = triage.referral_claim(referral=referral, user=worker)
    triage.referral_add_note(
        referral=referral,
        user=worker,
        text=NOTE,
        occurred_at=timezone.now() - dt.timedelta(minutes=5),
    )
    return triage.referral_decide(
        referral=referral,
        user=worker,
        contact_outcome="referral",
        next_step="s47",
        rationale=RATIONALE,
        message_to_referrer=MESSAGE,
    )


def hostile_account_request(organisation) -> AccountRequest:
    return AccountRequest.objects.create(
        email="ria.requester@testshire.sch.uk",
        organisation=organisation,
        status=AccountRequest.Status.PENDING,
        verified_at=timezone.now(),
        **REQUESTER,
    )


def hostile_domain() -> AllowedEmailDomain:
    return AllowedEmailDomain.objects.create(domain=DOMAIN)


def hostile_failed_notification(referral, recipient) -> Notification:
    return Notification.objects.create(
        kind=Notification.Kind.NEW_REFERRAL,
        referral=referral,
        recipient=recipient,
        recipient_email=recipient.email,
        state=Notification.State.FAILED,
        attempts=5,
        last_error=SMTP_ERROR,
        dedup_key=f"text-as-data:{referral.pk}:{recipient.pk}",
    )
