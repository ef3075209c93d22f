"""The API's reads and writes. Each is audited with the calling client's identity."""

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.http import Http404
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError

from indicators.models import CatalogueVersion
from referrals.addenda import services as addenda_services
from referrals.addenda.forms import InformationForm
from referrals.attachments import services as attachments_services
from referrals.attachments.forms import AttachmentForm
from referrals.audit import audit_record
from referrals.intake import services as intake_services
from referrals.intake.forms import IndicatorsForm, PeopleFormSet
from referrals.intake.sections import SECTION_FORMS
from referrals.models import (
    Addendum,
    ApiClient,
    ApiIdempotencyKey,
    Attachment,
    AuditEvent,
    Referral,
    Section,
    Status,
)
from referrals.permissions import can_attach


@transaction.atomic
def checklist_read(*, client: ApiClient, request=None) -> dict:
    version = CatalogueVersion.objects.current()
    audit_record(
        action="api.checklist_read",
        request=request,
        actor=client.accountable_person,
        obj=client,
        detail={"api_client": client.pk, "version": version.number if version else None},
    )
    if version is None:
        return {"version": 0, "indicators": []}
    indicators = version.indicators.filter(active=True).order_by("group", "order")
    return {
        "version": version.number,
        "indicators": [
            {"code": i.code, "wording": i.wording, "group": i.group, "audience": i.audience}
            for i in indicators
        ],
    }


def _own_referral(*, client: ApiClient, reference: str, request, action: str) -> Referral:
    referral = (
        Referral.objects.exclude(status=Status.DRAFT)
        .filter(reference=reference, organisation=client.organisation)
        .first()
    )
    if referral is None:
        audit_record(
            action=action,
            request=request,
            actor=client.accountable_person,
            obj=client,
            outcome=AuditEvent.Outcome.DENIED,
            detail={"api_client": client.pk},
        )
        raise Http404
    return referral


def referral_information_add(
    *, client: ApiClient, reference: str, body: str, key: str, request=None
) -> Addendum:
    """Information added through referrals.addenda (the form's rule, the service's
    checks), as the client's accountable person. A valid UUID Idempotency-Key is the
    addendum's form token, so a retried POST returns the same addendum."""
    referral = _own_referral(
        client=client, reference=reference, request=request, action="api.information_added"
    )
    form = InformationForm(data={"body": body, "form_token": key or str(uuid.uuid4())})
    if not form.is_valid():
        raise ApiValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    try:
        addendum = addenda_services.addendum_add(
            referral=referral,
            user=client.accountable_person,
            body=form.cleaned_data["body"],
            form_token=form.cleaned_data["form_token"],
            request=request,
        )
    except addenda_services.AddendumRefused as refused:
        raise PermissionDenied(str(refused)) from refused
    audit_record(
        action="api.information_added",
        request=request,
        actor=client.accountable_person,
        referral=referral,
        obj=addendum,
        detail={"api_client": client.pk},
    )
    return addendum


def referral_attachment_add(
    *, client: ApiClient, reference: str, upload, request=None
) -> Attachment:
    """A file attached through referrals.attachments as the client's accountable person:
    the form's checks (type read from the content, size, files per referral), stored
    under a random name and queued for ClamAV; nobody can open it until it is clean."""
    referral = _own_referral(
        client=client, reference=reference, request=request, action="api.attachment_added"
    )
    if not can_attach(client.accountable_person, referral):
        raise PermissionDenied("Files cannot be attached to this referral now.")
    form = AttachmentForm(data={}, files={"file": upload}, existing=referral.attachments.count())
    if not form.is_valid():
        raise ApiValidationError({"file": form.errors.get("file", ["The file is not valid"])})
    with transaction.atomic():
        attachment = attachments_services.attachment_add(
            referral=referral,
            user=client.accountable_person,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            request=request,
        )
        audit_record(
            action="api.attachment_added",
            request=request,
            actor=client.accountable_person,
            referral=referral,
            obj=attachment,
            detail={"api_client": client.pk},
        )
    return attachment


# Not atomic: the refusal's audit row must survive the Http404 (one insert either way).
def referral_status_read(*, client: ApiClient, reference: str, request=None) -> dict:
    """A submitted referral of the client's own organisation (anything else: Http404, and
    the refusal audited), with what its referrer may know of the outcome."""
    referral = _own_referral(
        client=client, reference=reference, request=request, action="api.referral_read"
    )
    audit_record(
        action="api.referral_read",
        request=request,
        actor=client.accountable_person,
        referral=referral,
        detail={"api_client": client.pk},
    )
    return referral_status_body(referral)


# --- Creating a referral: the form's sections, filled in as a browser would post them,
# then referral_submit. One rule in one place: the intake forms validate, the intake
# services save and submit.


def _form_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return value


def _form_data(fields: dict, prefix: str = "") -> dict:
    data = {}
    for name, value in fields.items():
        if isinstance(value, dt.date):
            for i, part in enumerate((value.day, value.month, value.year)):
                data[f"{prefix}{name}_{i}"] = str(part)
        else:
            data[f"{prefix}{name}"] = _form_value(value)
    return data


def _errors(form) -> dict:
    return {k: [str(e) for e in v] for k, v in form.errors.items()}


def _section_form(referral: Referral, section: str, fields: dict, errors: dict):
    """The section's form bound to `referral` and validated (its answers then on the
    instance, for the sections after it), or None with its errors."""
    form_class = SECTION_FORMS[section]
    if section == "referrer":
        # Unsent fields keep the accountable person's profile (referral_start).
        fields = {name: getattr(referral, name) for name in form_class._meta.fields} | fields
    form = form_class(_form_data(fields), instance=referral)
    if form.is_valid():
        return form
    errors[section] = _errors(form)
    return None


def _people_formset(referral: Referral, people: list[dict], errors: dict):
    data = {
        "people-TOTAL_FORMS": str(len(people)),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "30",
    }
    for i, person in enumerate(people):
        data |= _form_data(person, prefix=f"people-{i}-")
    formset = PeopleFormSet(data, instance=referral, prefix="people")
    if formset.is_valid():
        return formset
    found = [_errors(form) for form in formset.forms]
    if formset.non_form_errors():
        found.append({"non_field_errors": [str(e) for e in formset.non_form_errors()]})
    errors["people"] = found
    return None


def _answers_form(referral: Referral, answers: list[dict], errors: dict):
    indicators = intake_services.indicators_for(referral)
    known = {ind.code for ind in indicators}
    unknown = [a["code"] for a in answers if a["code"] not in known]
    if unknown:
        errors["indicators"] = {
            code: ["Not an indicator of the current checklist for this person"] for code in unknown
        }
        return None
    data = {}
    for answer in answers:
        code = answer["code"]
        data |= _form_data(
            {
                f"answer_{code}": answer["answer"],
                f"detail_{code}": answer.get("detail", ""),
                f"observed_{code}": answer.get("observed_on"),
            }
        )
    form = IndicatorsForm(data, referral=referral, indicators=indicators)
    if form.is_valid():
        return form
    by_code: dict = {}
    for name, messages in _errors(form).items():
        by_code.setdefault(name.split("_", 1)[-1], []).extend(messages)
    errors["indicators"] = by_code
    return None


def _referral_build(*, client: ApiClient, data: dict, request) -> Referral:
    """Every section's form validated in the form's order against the one draft (each
    sees the answers before it, as the journey would), then saved together."""
    author = client.accountable_person
    referral = intake_services.referral_start(
        author=author, request=request, organisation=client.organisation
    )
    errors: dict = {}
    forms = [_section_form(referral, s, data.get(s) or {}, errors) for s in ("danger", "subject")]
    formset = _people_formset(referral, data.get("people") or [], errors)
    answers = _answers_form(referral, data.get("indicators") or [], errors)
    forms += [
        _section_form(referral, s, data.get(s) or {}, errors)
        for s in ("consent", "concern", "referrer")
    ]
    if errors:
        raise ApiValidationError(errors)
    intake_services.draft_save_sections(
        referral=referral, referral_forms=forms, complete=Section.values
    )
    intake_services.draft_save_people(referral=referral, formset=formset, complete=False)
    intake_services.draft_save_answers(referral=referral, answers=answers.answers(), complete=False)
    referral.refresh_from_db()
    return intake_services.referral_submit(referral=referral, user=author, request=request)


def _keyed_referral(client: ApiClient, key: str) -> Referral | None:
    found = (
        ApiIdempotencyKey.objects.select_related("referral").filter(client=client, key=key).first()
    )
    return found.referral if found else None


def referral_create(
    *, client: ApiClient, data: dict, key: str = "", request=None
) -> tuple[Referral, bool]:
    """Create and submit a referral as the client's accountable person, for the client's
    organisation; returns (referral, created). With an Idempotency-Key already used by
    this client, the referral it created, unchanged. Two requests with the same key at
    once: the unique (client, key) makes the second wait and fail on insert, its whole
    referral rolls back (and its queued email with it), and it returns the first's."""
    if key:
        existing = _keyed_referral(client, key)
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            referral = _referral_build(client=client, data=data, request=request)
            if key:
                ApiIdempotencyKey.objects.create(client=client, key=key, referral=referral)
            audit_record(
                action="api.referral_created",
                request=request,
                actor=client.accountable_person,
                referral=referral,
                detail={"api_client": client.pk},
            )
    except IntegrityError:
        existing = _keyed_referral(client, key) if key else None
        if existing is None:
            raise
        return existing, False
    return referral, True


def referral_status_body(referral: Referral) -> dict:
    """What the referrer may know: the outcome only once decided."""
    decided = referral.status in (Status.DECIDED, Status.CLOSED)
    return {
        "reference": referral.reference,
        "status": referral.status,
        "submitted_at": referral.submitted_at,
        "decided_at": referral.decided_at,
        "outcome": referral.outcome_label if decided else "",
    }
