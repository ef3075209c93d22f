"""Who may see or do what to a referral: the one place that answers it.

Views never query referrals directly: they call `referral_for_user` (one object, 404
when out of scope) or `referrals_visible_to` (lists), which agree by construction
because the single-object check is the list query narrowed to one row.

- Practitioners see referrals they wrote (a guardian object permission granted by
  the submitting service) and, with `organisation_wide_view`, their organisation's
  submitted referrals. Drafts are only ever their author's.
- Triage see every submitted referral and work them.
- Managers and administrators see no individual referral unless also Triage.
- Partners (staff of a partner agency) see no referral at all: only the information
  requests addressed to their own organisation (`information_request_for_partner`).
- Drafts are never exported; an export is its requester's alone; a notification is
  its recipient's; the access log is for triage staff and administrators.

Every refusal is audited once, in one shape (`_refused`), with the request.
"""

from enum import StrEnum

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from guardian.shortcuts import assign_perm

from accounts.models import Role, User
from referrals.audit import audit_record
from referrals.models import (
    Attachment,
    AuditEvent,
    BreakGlassGrant,
    DestructionBatch,
    Export,
    Handoff,
    InformationRequest,
    LegalHold,
    Notification,
    PersonDecision,
    PersonRecord,
    PossibleDuplicate,
    Referral,
    ReferralGroupObjectPermission,
    ReferralUserObjectPermission,
    ReferrerQuestion,
    Status,
    SubjectAccessBundle,
    SubjectAccessRequest,
)
from referrals.models.exports import ExportState


class Action(StrEnum):
    VIEW = "view"  # read the referral as its viewer may
    EDIT_DRAFT = "edit_draft"  # continue and submit a draft
    EXPORT = "export"  # PDF of what the viewer may see
    TRIAGE = "triage"  # claim, assign, note, decide, see links and the audit of views
    # The referrer's side of the referrer loop (referrals/addenda): answer the intake
    # team's questions, add information, reply to a message.
    ADD_INFORMATION = "add_information"


def grant_author(user: User, referral: Referral) -> None:
    """Called by the service that creates a referral, never from a signal."""
    assign_perm("referrals.view_referral", user, referral)
    assign_perm("referrals.change_referral", user, referral)


def _permission(codename: str) -> dict:
    """The filter naming one of the referral permissions, by id as a scalar subquery:
    PostgreSQL then estimates a user's rows from the permission index instead of
    guessing one row through the joins to the content type."""
    return {
        "permission_id": Subquery(
            Permission.objects.filter(
                codename=codename, content_type__app_label="referrals"
            ).values("pk")[:1]
        )
    }


def _held(user: User, codename: str) -> QuerySet:
    """The ids of the referrals on which the user holds the object permission, directly
    or through a group: one UNION of guardian's two permission tables. Guardian's own
    list query ORs two subqueries, which PostgreSQL can only answer by reading every
    referral (0.5 to 3 s a page for a practitioner with 3,000 referrals among 1,000,000;
    issue 17): the UNION is an index scan of the user's own permissions. Model-level
    permissions (say, given to a superuser in the admin) never widen it."""
    return (
        ReferralUserObjectPermission.objects.filter(user=user, **_permission(codename))
        .values("content_object_id")
        .union(
            ReferralGroupObjectPermission.objects.filter(
                group__user=user, **_permission(codename)
            ).values("content_object_id")
        )
    )


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Every referral `user` may read (drafts only their own)."""
    if not user.is_authenticated or not user.is_active:
        return Referral.objects.none()
    scope = Q(pk__in=Referral.objects.none())
    if user.has_role(Role.PRACTITIONER):
        scope |= Q(pk__in=_held(user, "view_referral"))
        if user.organisation_wide_view and user.organisation_id:
            scope |= Q(organisation_id=user.organisation_id) & ~Q(status=Status.DRAFT)
    if user.has_role(Role.TRIAGE):
        scope |= ~Q(status=Status.DRAFT)
    if user.has_role(Role.MANAGER):
        scope |= Q(pk__in=_broken_glass(user).values("referral_id")) & ~Q(status=Status.DRAFT)
    return Referral.objects.filter(scope)


def _broken_glass(user: User) -> QuerySet[BreakGlassGrant]:
    """The user's unexpired break-glass grants (issue 20): a manager sees no individual
    referral unless they opened it from the search with a reason, for a few hours."""
    return BreakGlassGrant.objects.active().filter(user=user)


def referrals_authored_by(user: User) -> QuerySet[Referral]:
    """The practitioner's own referrals and drafts ("my referrals"): those they hold
    `change_referral` on, found by `_held`, then one look-up per row."""
    if not user.is_authenticated or not user.is_active or not user.has_role(Role.PRACTITIONER):
        return Referral.objects.none()
    return Referral.objects.filter(pk__in=_held(user, "change_referral"))


def referrals_for_triage(user: User) -> QuerySet[Referral]:
    if not user.is_authenticated or not user.is_active or not user.has_role(Role.TRIAGE):
        return Referral.objects.none()
    return Referral.objects.submitted()


def can(user: User, action: Action, referral: Referral) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action == Action.EDIT_DRAFT:
        return (
            referral.status == Status.DRAFT
            and user.has_role(Role.PRACTITIONER)
            and _holds(user, "change_referral", referral)
        )
    if action == Action.TRIAGE:
        return user.has_role(Role.TRIAGE) and referral.status != Status.DRAFT
    if action == Action.ADD_INFORMATION:
        # Whoever sees the referrer's view of a submitted referral: its author, and
        # colleagues with organisation-wide view. Triage ask; they never answer.
        return (
            referral.status != Status.DRAFT
            and user.has_role(Role.PRACTITIONER)
            and (_organisation_wide(user, referral) or _holds(user, "view_referral", referral))
        )
    if action == Action.EXPORT and referral.status == Status.DRAFT:
        return False
    if action == Action.VIEW and _in_break_glass(user, referral):
        return True
    # VIEW and EXPORT: whoever may read it may export what they may read.
    return _in_role_scope(user, referral) or (
        user.has_role(Role.PRACTITIONER) and _holds(user, "view_referral", referral)
    )


def _in_break_glass(user: User, referral: Referral) -> bool:
    return bool(
        referral.status != Status.DRAFT
        and user.has_role(Role.MANAGER)
        and not user.has_role(Role.TRIAGE)
        and _broken_glass(user).filter(referral=referral).exists()
    )


def needs_break_glass(user: User, referral: Referral) -> bool:
    """A search hit the searcher may not open without break-glass: managers (who see
    no individual referral) on a submitted referral not already opened."""
    return (
        can_search(user)
        and referral.status != Status.DRAFT
        and user.has_role(Role.MANAGER)
        and not can(user, Action.VIEW, referral)
    )


def _holds(user: User, codename: str, referral: Referral) -> bool:
    """Whether the user holds the object permission on this one referral, directly or
    through a group: `_held` narrowed to one row, asked as a look-up of
    (user, permission, referral) in the unique index. Narrowing a list query instead
    made PostgreSQL hash every permission the author holds (4,000 rows for a busy
    practitioner at 1,000,000 referrals) on every step of the form."""
    permission = {**_permission(codename), "content_object_id": referral.pk}
    return (
        ReferralUserObjectPermission.objects.filter(user=user, **permission).exists()
        or ReferralGroupObjectPermission.objects.filter(group__user=user, **permission).exists()
    )


def _in_role_scope(user: User, referral: Referral) -> bool:
    """The scopes of `referrals_visible_to` that follow from the user's role and
    organisation alone, decided without a query (the referral page checks on every
    view). Object permissions (authors) are looked up by `_holds`; the property test
    in tests/permission_matrix holds both forms to the same answers."""
    if referral.status == Status.DRAFT:
        return False
    if user.has_role(Role.TRIAGE):
        return True
    return _organisation_wide(user, referral)


def _organisation_wide(user: User, referral: Referral) -> bool:
    return bool(
        referral.status != Status.DRAFT
        and user.has_role(Role.PRACTITIONER)
        and user.organisation_wide_view
        and user.organisation_id
        and referral.organisation_id == user.organisation_id
    )


def _refused(request: HttpRequest | None, user: User, action: str, **fields) -> Http404:
    """Audit one refusal (who, what, the request) and return the 404 to raise."""
    audit_record(
        action=action,
        actor=user if user.is_authenticated else None,
        request=request,
        outcome=AuditEvent.Outcome.DENIED,
        **fields,
    )
    return Http404()


def referral_for_user(
    user: User,
    action: Action = Action.VIEW,
    *,
    reference: str | None = None,
    public_id=None,
    request: HttpRequest | None = None,
    audit_action: str | None = None,
) -> Referral:
    """The referral if `user` may do `action` to it; 404 otherwise, so that nobody
    learns whether a reference exists outside their scope. A refusal is audited under
    `audit_action` (default `referral.<action>`)."""
    audit_action = audit_action or f"referral.{action}"
    lookup = {"reference": reference} if reference is not None else {"public_id": public_id}
    try:
        referral = Referral.objects.select_related("organisation", "author").get(**lookup)
    except (Referral.DoesNotExist, ValueError, TypeError, ValidationError):
        looked_up = str(reference if reference is not None else public_id)[:40]
        raise _refused(request, user, audit_action, detail={"reference": looked_up}) from None
    if not can(user, action, referral):
        raise _refused(request, user, audit_action, referral=referral)
    return referral


def referrer_question_for_user(
    user: User,
    referral: Referral,
    question_id,
    action: Action,
    *,
    request: HttpRequest | None = None,
    audit_action: str = "referral.question",
) -> ReferrerQuestion:
    """A question asked on this referral, for its referrer (ADD_INFORMATION: to answer
    it) or for triage (TRIAGE: to withdraw it); 404 (audited) otherwise. `referral` has
    been fetched through `referral_for_user` with the same action."""
    question = None
    if str(question_id).isdigit() and can(user, action, referral):
        question = ReferrerQuestion.objects.filter(pk=int(question_id), referral=referral).first()
    if question is None:
        raise _refused(
            request,
            user,
            audit_action,
            referral=referral,
            detail={"question": str(question_id)[:20]},
        )
    return question


def export_for_user(
    user: User, referral: Referral, export_id, *, request: HttpRequest | None = None
) -> Export:
    """The user's own ready export of this referral; 404 (audited) otherwise. An export
    holds what its requester may see (a triager's includes the rationale), so it is
    theirs alone."""
    export = None
    if str(export_id).isdigit():
        export = (
            Export.objects.filter(
                pk=int(export_id), referral=referral, requested_by=user, state=ExportState.READY
            )
            .exclude(file="")
            .first()
        )
    if export is None:
        raise _refused(
            request,
            user,
            "export.downloaded",
            referral=referral,
            detail={"export": str(export_id)[:20]},
        )
    return export


def exports_visible_to(user: User, referral: Referral) -> QuerySet[Export]:
    """The exports of this referral that `user` may see: their own."""
    if not can(user, Action.EXPORT, referral):
        return Export.objects.none()
    return Export.objects.filter(referral=referral, requested_by=user)


def notification_for_user(user: User, pk, *, failed: bool = False) -> Notification:
    """The user's own notification, or (`failed`, administrators) a failed message; 404
    otherwise."""
    if failed:
        rows = Notification.objects.failed() if user.has_role(Role.ADMINISTRATOR) else None
    else:
        rows = Notification.objects.filter(recipient=user) if user.is_authenticated else None
    notification = rows.filter(pk=pk).first() if rows is not None else None
    if notification is None:
        raise Http404
    return notification


def can_see_access_log(user: User) -> bool:
    """Who has viewed or exported a referral: triage staff and administrators."""
    return user.is_authenticated and (
        user.has_role(Role.TRIAGE) or user.has_role(Role.ADMINISTRATOR)
    )


def can_download_returns(user: User) -> bool:
    """The statutory returns (Annex A lists, the census's referral fields) list children
    one row each, with their date of birth and ethnicity: managers only, who answer for
    the returns (issue 18)."""
    return user.is_authenticated and user.has_role(Role.MANAGER)


# --- Partner information requests and the sharing log (issue 19, h19b) ------------


def _partner_organisation_id(user: User) -> int | None:
    """A Partner's organisation, or None: a Partner without one sees nothing."""
    if not user.is_authenticated or not user.is_active or not user.has_role(Role.PARTNER):
        return None
    return user.organisation_id


def information_requests_for_partner(user: User) -> QuerySet[InformationRequest]:
    """The requests addressed to the Partner's own organisation, and no others."""
    organisation_id = _partner_organisation_id(user)
    if organisation_id is None:
        return InformationRequest.objects.none()
    return InformationRequest.objects.for_organisation(organisation_id)


def information_request_for_partner(
    user: User, pk, *, request: HttpRequest | None = None
) -> InformationRequest:
    """One request addressed to the Partner's organisation; 404 (audited) otherwise,
    so a partner cannot learn that another agency was asked."""
    found = None
    if str(pk).isdigit():
        found = (
            information_requests_for_partner(user)
            .select_related("organisation")
            .filter(pk=int(pk))
            .first()
        )
    if found is None:
        raise _refused(request, user, "partner_request.viewed", detail={"request": str(pk)[:20]})
    return found


def information_request_for_triage(
    user: User, referral: Referral, pk, *, request: HttpRequest | None = None
) -> InformationRequest:
    """A request made on this referral, for triage (to withdraw it); 404 otherwise."""
    found = None
    if str(pk).isdigit() and can(user, Action.TRIAGE, referral):
        found = InformationRequest.objects.filter(pk=int(pk), referral=referral).first()
    if found is None:
        raise _refused(
            request,
            user,
            "partner_request.withdrawn",
            referral=referral,
            detail={"request": str(pk)[:20]},
        )
    return found


def can_see_sharing_log(user: User, referral: Referral) -> bool:
    """The log on the referral page: triage, and managers who may open the referral."""
    if can(user, Action.TRIAGE, referral):
        return True
    return (
        user.is_authenticated and user.has_role(Role.MANAGER) and can(user, Action.VIEW, referral)
    )


def can_search_sharing_log(user: User) -> bool:
    """Searching the whole log (/sharing-log/): administrators."""
    return user.is_authenticated and user.has_role(Role.ADMINISTRATOR)


# --- h19c: hand-offs (referrals/handoffs) --------------------------------------


def handoffs_visible_to(user: User) -> QuerySet[Handoff]:
    """The hand-offs a receiving team's member may see and acknowledge in the portal:
    those sent to a team of their organisation (Partner users). They see the reference
    and the hand-off, never the referral itself."""
    if not user.is_authenticated or not user.has_role(Role.PARTNER) or not user.organisation_id:
        return Handoff.objects.none()
    return Handoff.objects.filter(
        team__organisation_id=user.organisation_id,
        state__in=(Handoff.State.SENT, Handoff.State.ACKNOWLEDGED),
    )


def handoff_for_user(user: User, pk, *, request: HttpRequest | None = None) -> Handoff:
    """One hand-off to the user's team; 404 (audited) otherwise."""
    handoff = None
    if str(pk).isdigit():
        handoff = handoffs_visible_to(user).select_related("referral", "team").filter(pk=pk).first()
    if handoff is None:
        raise _refused(request, user, "handoff.acknowledge", detail={"handoff": str(pk)[:20]})
    return handoff


def handoff_to_route(
    user: User, referral: Referral, pk, *, request: HttpRequest | None = None
) -> Handoff:
    """An unrouted hand-off of this referral, for triage to choose its team; 404
    (audited) otherwise. `referral` was fetched with Action.TRIAGE."""
    handoff = None
    if str(pk).isdigit() and can(user, Action.TRIAGE, referral):
        handoff = Handoff.objects.filter(pk=int(pk), referral=referral).first()
    if handoff is None:
        raise _refused(
            request, user, "handoff.route", referral=referral, detail={"handoff": str(pk)[:20]}
        )
    return handoff


def can_search(user: User) -> bool:
    """The search across referrals (issue 20): triage and managers. A manager sees no
    individual referral, so every hit they find is listed only as a record that exists
    in another team's scope."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.has_role(Role.TRIAGE) or user.has_role(Role.MANAGER))
    )


# --- h20b: person records, the duplicates queue and the MACE list (issue 20)


def can_see_person_records(user: User) -> bool:
    """Person records and the duplicates queue: Triage and Managers, never a
    practitioner or a partner (a record gathers every referral about a child)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.has_role(Role.TRIAGE) or user.has_role(Role.MANAGER))
    )


def can_decide_person_records(user: User) -> bool:
    """Merging, "not the same person" and undoing either: a triage lead."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_role(Role.TRIAGE)
        and user.is_triage_lead
    )


def can_see_mace_list(user: User) -> bool:
    """The MACE list of shared identifiers: managers, who take it to the MACE meeting."""
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.MANAGER))


def person_record_for_user(user: User, pk, *, request: HttpRequest | None = None) -> PersonRecord:
    record = None
    if str(pk).isdigit() and can_see_person_records(user):
        record = PersonRecord.objects.filter(pk=int(pk)).select_related("merged_into").first()
    if record is None:
        raise _refused(request, user, "person.viewed", detail={"record": str(pk)[:20]})
    return record


def possible_duplicate_for_user(
    user: User, pk, *, request: HttpRequest | None = None
) -> PossibleDuplicate:
    found = None
    if str(pk).isdigit() and can_decide_person_records(user):
        found = (
            PossibleDuplicate.objects.filter(pk=int(pk), decision__isnull=True)
            .select_related("record", "other")
            .first()
        )
    if found is None:
        raise _refused(request, user, "person.decided", detail={"duplicate": str(pk)[:20]})
    return found


def person_decision_for_user(
    user: User, pk, *, request: HttpRequest | None = None
) -> PersonDecision:
    decision = None
    if str(pk).isdigit() and can_decide_person_records(user):
        decision = PersonDecision.objects.filter(pk=int(pk), undone_at__isnull=True).first()
    if decision is None:
        raise _refused(request, user, "person.decision_undone", detail={"decision": str(pk)[:20]})
    return decision


# --- h21a: attachments ---------------------------------------------------------------


def can_attach(user: User, referral: Referral) -> bool:
    """The practitioner on their draft or as an addendum to what they sent, and triage."""
    return (
        can(user, Action.EDIT_DRAFT, referral)
        or can(user, Action.ADD_INFORMATION, referral)
        or can(user, Action.TRIAGE, referral)
    )


def attachment_for_user(
    user: User, referral: Referral, attachment_id, *, request: HttpRequest | None = None
) -> Attachment:
    """A clean attachment of this referral that `user` may read (whoever may view the
    referral, a draft only its author); 404 (audited) otherwise: pending, quarantined
    and unscanned files are never served."""
    attachment = None
    if str(attachment_id).isdigit() and (
        can(user, Action.VIEW, referral) or can(user, Action.EDIT_DRAFT, referral)
    ):
        attachment = Attachment.objects.filter(
            pk=int(attachment_id), referral=referral, state=Attachment.State.CLEAN
        ).first()
    if attachment is None:
        raise _refused(
            request,
            user,
            "attachment.downloaded",
            referral=referral,
            detail={"attachment": str(attachment_id)[:20]},
        )
    return attachment


def referral_to_attach_for_user(
    user: User, public_id, *, request: HttpRequest | None = None
) -> Referral:
    """The referral (draft or submitted) if `user` may attach files to it; 404 (audited)
    otherwise."""
    referral = (
        Referral.objects.select_related("organisation", "author")
        .filter(public_id=public_id)
        .first()
    )
    if referral is None or not can_attach(user, referral):
        raise _refused(
            request,
            user,
            "attachment.added",
            referral=referral,
            detail={} if referral else {"public_id": str(public_id)[:40]},
        )
    return referral


# --- h21r: retention (the due list, legal holds, destruction, the register) ---------


def can_manage_retention(user: User) -> bool:
    """The due list, legal holds, destruction and the destruction register:
    administrators only (the council's records management sits with them)."""
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.ADMINISTRATOR))


def destruction_batch_for_user(
    user: User, pk, *, request: HttpRequest | None = None
) -> DestructionBatch:
    """A destruction batch, for an administrator; 404 (audited) otherwise."""
    batch = None
    if str(pk).isdigit() and can_manage_retention(user):
        batch = DestructionBatch.objects.filter(pk=int(pk)).first()
    if batch is None:
        raise _refused(request, user, "retention.batch", detail={"batch": str(pk)[:20]})
    return batch


def legal_hold_for_user(user: User, pk, *, request: HttpRequest | None = None) -> LegalHold:
    """An active legal hold, for an administrator to lift; 404 (audited) otherwise."""
    hold = None
    if str(pk).isdigit() and can_manage_retention(user):
        hold = LegalHold.objects.active().filter(pk=int(pk)).select_related("referral").first()
    if hold is None:
        raise _refused(request, user, "retention.hold_lifted", detail={"hold": str(pk)[:20]})
    return hold


# --- h21s: subject access requests ------------------------------------------------


def can_handle_subject_access(user: User) -> bool:
    """Recording, reviewing and releasing subject access requests: administrators (the
    council's information governance), who otherwise see no individual referral. A
    bundle gathers every referral about a person, so nobody else, triage included."""
    return bool(user.is_authenticated and user.is_active and user.has_role(Role.ADMINISTRATOR))


def subject_access_request_for_user(
    user: User, pk, *, request: HttpRequest | None = None, audit_action: str = "subject_access"
) -> SubjectAccessRequest:
    """One request, for an administrator; 404 (audited) otherwise."""
    found = None
    if str(pk).isdigit() and can_handle_subject_access(user):
        found = (
            SubjectAccessRequest.objects.select_related("person_record", "referral")
            .filter(pk=int(pk))
            .first()
        )
    if found is None:
        raise _refused(request, user, audit_action, detail={"request": str(pk)[:20]})
    return found


def subject_access_bundle_for_user(
    user: User, sar: SubjectAccessRequest, bundle_id, *, request: HttpRequest | None = None
) -> SubjectAccessBundle:
    """A ready bundle of this request, for an administrator; 404 (audited) otherwise."""
    found = None
    if str(bundle_id).isdigit() and can_handle_subject_access(user):
        found = (
            SubjectAccessBundle.objects.filter(
                pk=int(bundle_id), request=sar, state=ExportState.READY
            )
            .exclude(file="")
            .first()
        )
    if found is None:
        raise _refused(
            request,
            user,
            "subject_access.downloaded",
            detail={"request": sar.pk, "bundle": str(bundle_id)[:20]},
        )
    return found
