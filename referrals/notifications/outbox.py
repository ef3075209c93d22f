"""Outbox rows for the messages an event causes. Rows are written inside the event's
transaction; publishing to Celery happens after commit (delivery.notifications_publish), and a
relay publishes any row whose publish was lost, so a broker outage loses nothing.

Each row is one message to one recipient, unique by `dedup_key`: the same event never
makes two messages, and a redelivered task finds its row already sent. Rows with a
`recipient` user also make up that user's in-portal notification list."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from referrals.models import Council, Handoff, Notification, Rag, ReceivingTeam, Referral
from referrals.notifications.delivery import notifications_publish

Kind = Notification.Kind


def _queue(rows: list[Notification]) -> list[Notification]:
    """Write the rows not written before (by their unique dedup_key): the same event
    never makes two messages. Two queries whatever the number of rows: an event that
    notifies every Triage user must not cost a query per user. Callers hold the
    referral's row lock, so the same event is never queued twice at once."""
    keys = [row.dedup_key for row in rows]
    existing = set(
        Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True)
    )
    now = timezone.now()
    new = [row for row in rows if row.dedup_key not in existing]
    for row in new:
        row.created_at = now
    created = Notification.objects.bulk_create(new)
    # Urgent messages go to the broker first.
    to_send = sorted(
        (r for r in created if r.state == Notification.State.PENDING), key=lambda r: not r.urgent
    )
    ids = [row.pk for row in to_send]
    if ids:
        transaction.on_commit(lambda: notifications_publish(ids))
    return created


def _triage_users():
    return User.objects.active_with_role(Role.TRIAGE).only("pk", "email", "notify_new_referrals")


def _new_referral_rows(referral: Referral) -> list[Notification]:
    rows = [
        Notification(
            kind=Kind.NEW_REFERRAL,
            referral=referral,
            recipient_email=mailbox,
            urgent=referral.is_urgent,
            dedup_key=f"new_referral:{referral.pk}:{mailbox}",
        )
        for mailbox in settings.INTAKE_MAILBOXES
    ]
    # Every Triage user sees the arrival in the portal; only those who opted in are
    # emailed as well (the shared mailbox is the team's channel).
    for user in _triage_users():
        emailed = user.notify_new_referrals
        rows.append(
            Notification(
                kind=Kind.NEW_REFERRAL,
                referral=referral,
                recipient_email=user.email,
                recipient=user,
                urgent=referral.is_urgent,
                state=Notification.State.PENDING if emailed else Notification.State.PORTAL,
                dedup_key=f"new_referral:{referral.pk}:user:{user.pk}",
            )
        )
    return rows


def outbox_referral_submitted(referral: Referral) -> list[Notification]:
    """The intake mailbox(es) and Triage users learn a referral has arrived; the
    referrer gets an acknowledgement. All carry only the reference and a link."""
    rows = _new_referral_rows(referral)
    rows.append(
        Notification(
            kind=Kind.ACKNOWLEDGEMENT,
            referral=referral,
            recipient_email=referral.author.email,
            recipient=referral.author,
            dedup_key=f"acknowledgement:{referral.pk}",
        )
    )
    return _queue(rows)


def outbox_referral_decided(referral: Referral) -> list[Notification]:
    """'There is an update on referral CL-...; sign in to see it' for the referrer."""
    return _queue(
        [
            Notification(
                kind=Kind.OUTCOME,
                referral=referral,
                recipient_email=referral.author.email,
                recipient=referral.author,
                dedup_key=f"outcome:{referral.pk}:{referral.decided_at:%Y%m%dT%H%M%S%f}",
            )
        ]
    )


def outbox_known_child(referral: Referral, *, worker: User | None) -> list[Notification]:
    """A contact about someone already known (referrals.known_children): the earlier
    contact's allocated worker is told, by email and in the portal; with no worker,
    the intake mailbox(es) and the Triage leads are. Content-free: a reference and a
    link, never who it is about."""
    if worker is not None:
        recipients = [worker]
        mailboxes = []
    else:
        recipients = list(_triage_leads())
        mailboxes = settings.INTAKE_MAILBOXES
    rows = [
        Notification(
            kind=Kind.KNOWN_CHILD,
            referral=referral,
            recipient_email=mailbox,
            urgent=referral.is_urgent,
            dedup_key=f"known_child:{referral.pk}:{mailbox}",
        )
        for mailbox in mailboxes
    ]
    rows += [
        Notification(
            kind=Kind.KNOWN_CHILD,
            referral=referral,
            recipient_email=user.email,
            recipient=user,
            urgent=referral.is_urgent,
            dedup_key=f"known_child:{referral.pk}:user:{user.pk}",
        )
        for user in recipients
    ]
    return _queue(rows)


def outbox_out_of_area(referral: Referral, council: Council) -> list[Notification]:
    """The one content-light notice to the home council's front door: our reference
    and our front door's phone number, nothing about the person. Once per council and
    contact (the key), however often the council is recorded."""
    return _queue(
        [
            Notification(
                kind=Kind.OUT_OF_AREA,
                referral=referral,
                recipient_email=council.front_door_email,
                urgent=referral.is_urgent,
                dedup_key=f"out_of_area:{referral.pk}:council:{council.pk}",
            )
        ]
    )


def _overdue_rows(referral: Referral) -> list[Notification]:
    # The keys make the alert once per referral, however often the check runs.
    rows = [
        Notification(
            kind=Kind.OVERDUE,
            referral=referral,
            recipient_email=mailbox,
            urgent=referral.is_urgent,
            dedup_key=f"overdue:{referral.pk}:{mailbox}",
        )
        for mailbox in settings.INTAKE_MAILBOXES
    ]
    worker = referral.assigned_to
    if worker is not None and worker.is_active:
        rows.append(
            Notification(
                kind=Kind.OVERDUE,
                referral=referral,
                recipient_email=worker.email,
                recipient=worker,
                urgent=referral.is_urgent,
                dedup_key=f"overdue:{referral.pk}:worker",
            )
        )
    return rows


def _claim_overdue_rows(referral: Referral, leads: list[User]) -> list[Notification]:
    # The keys make the alert once per referral, however often the check runs.
    rows = [
        Notification(
            kind=Kind.CLAIM_OVERDUE,
            referral=referral,
            recipient_email=mailbox,
            urgent=True,
            dedup_key=f"claim_overdue:{referral.pk}:{mailbox}",
        )
        for mailbox in settings.INTAKE_MAILBOXES
    ]
    rows += [
        Notification(
            kind=Kind.CLAIM_OVERDUE,
            referral=referral,
            recipient_email=lead.email,
            recipient=lead,
            urgent=True,
            dedup_key=f"claim_overdue:{referral.pk}:user:{lead.pk}",
        )
        for lead in leads
    ]
    return rows


@transaction.atomic
def notifications_queue_overdue(*, now: dt.datetime | None = None) -> list[Notification]:
    """Alert about each referral past one of its deadlines, once per referral and
    deadline. Run by beat every few minutes.
    - Not decided by its due time: the assigned worker and the intake mailbox(es).
    - Urgent (immediate danger) and not claimed within URGENT_CLAIM_HOURS: the intake
      mailbox(es) and the Triage leads, who can find someone to take it.
    - Rated red and within RAG_RED_WARNING_MINUTES of its RAG deadline: the Triage leads."""
    now = now or timezone.now()
    overdue = Referral.objects.overdue(now).exclude(notifications__kind=Kind.OVERDUE)
    rows = []
    for referral in overdue.select_related("assigned_to"):
        rows.extend(_overdue_rows(referral))
    unclaimed = Referral.objects.claim_overdue(now).exclude(notifications__kind=Kind.CLAIM_OVERDUE)
    leads = None
    for referral in unclaimed:
        leads = list(_triage_leads()) if leads is None else leads
        rows.extend(_claim_overdue_rows(referral, leads))
    for referral in _red_due_soon(now):
        leads = list(_triage_leads()) if leads is None else leads
        rows.extend(_red_due_soon_rows(referral, leads))
    return _queue(rows)


def _red_due_soon(now: dt.datetime):
    """Red-rated and undecided within RAG_RED_WARNING_MINUTES of its RAG deadline (or
    past it, when rated red late), not alerted before."""
    warning = dt.timedelta(minutes=settings.RAG_RED_WARNING_MINUTES)
    return (
        Referral.objects.undecided()
        .filter(rag_rating=Rag.RED, rag_due_at__lte=now + warning)
        .exclude(notifications__kind=Kind.RAG_DUE_SOON)
    )


def _red_due_soon_rows(referral: Referral, leads: list[User]) -> list[Notification]:
    # Once per referral and lead, however often the check runs.
    return [
        Notification(
            kind=Kind.RAG_DUE_SOON,
            referral=referral,
            recipient_email=lead.email,
            recipient=lead,
            urgent=True,
            dedup_key=f"rag_due_soon:{referral.pk}:user:{lead.pk}",
        )
        for lead in leads
    ]


def _triage_leads():
    return _triage_users().filter(is_triage_lead=True)


@transaction.atomic
def notifications_queue_digest(*, now: dt.datetime | None = None) -> list[Notification]:
    """The daily digest: each Triage lead gets the list of overdue references (one
    digest per lead per day; nothing when nothing is overdue)."""
    now = now or timezone.now()
    references = list(Referral.objects.overdue(now).for_queue().values_list("reference", flat=True))
    if not references:
        return []
    day = timezone.localdate(now)
    return _queue(
        [
            Notification(
                kind=Kind.DIGEST,
                recipient_email=lead.email,
                recipient=lead,
                references=references,
                dedup_key=f"digest:{day:%Y-%m-%d}:{lead.pk}",
            )
            for lead in _triage_leads()
        ]
    )


def notifications_for_relay(*, now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    seconds = dt.timedelta(seconds=1)
    rows = Notification.objects.for_relay(
        unpublished_before=now - settings.NOTIFICATION_RELAY_AFTER_SECONDS * seconds,
        published_before=now - settings.NOTIFICATION_REPUBLISH_AFTER_SECONDS * seconds,
        claimed_before=now - settings.NOTIFICATION_CLAIM_SECONDS * seconds,
    )
    return list(rows.order_by("-urgent", "created_at").values_list("pk", flat=True)[:500])


# --- The referrer loop (referrals/addenda) -------------------------------------


def outbox_referrer_question(question) -> list[Notification]:
    """'There is a question for you about referral CL-...; sign in to answer it', to the
    referrer (also their in-portal notice). Never the question itself."""
    referral = question.referral
    return _queue(
        [
            Notification(
                kind=Kind.REFERRER_QUESTION,
                referral=referral,
                recipient_email=referral.author.email,
                recipient=referral.author,
                urgent=referral.is_urgent,
                dedup_key=f"referrer_question:{question.pk}",
            )
        ]
    )


def _intake_rows(kind: str, referral: Referral, key: str, worker: User | None):
    """One triage worker if they can still act on it, else the intake mailbox(es)."""
    if worker is not None and worker.is_active and worker.has_role(Role.TRIAGE):
        return [
            Notification(
                kind=kind,
                referral=referral,
                recipient_email=worker.email,
                recipient=worker,
                urgent=referral.is_urgent,
                dedup_key=f"{key}:user:{worker.pk}",
            )
        ]
    return [
        Notification(
            kind=kind,
            referral=referral,
            recipient_email=mailbox,
            urgent=referral.is_urgent,
            dedup_key=f"{key}:{mailbox}",
        )
        for mailbox in settings.INTAKE_MAILBOXES
    ]


def outbox_referrer_answered(question) -> list[Notification]:
    """The worker who asked (else the assignee, else the intake mailbox) learns that the
    referrer has answered; the answer is read in the portal."""
    referral = question.referral
    worker = question.asked_by
    if not (worker.is_active and worker.has_role(Role.TRIAGE)):
        worker = referral.assigned_to
    key = f"referrer_answer:{question.pk}"
    return _queue(_intake_rows(Kind.REFERRER_ANSWER, referral, key, worker))


def outbox_referrer_added_information(addendum) -> list[Notification]:
    """The assignee (else the intake mailbox) learns that the referrer has added
    information or replied to a message."""
    referral = addendum.referral
    key = f"new_information:{addendum.pk}"
    return _queue(_intake_rows(Kind.NEW_INFORMATION, referral, key, referral.assigned_to))


# --- h19b: partner information requests (referrals/partners) ----------------------


def _partner_rows(kind: str, information_request, key: str) -> list[Notification]:
    """Every active Partner user of the agency asked: 'there is a request for you'."""
    partners = User.objects.active_with_role(Role.PARTNER).filter(
        organisation_id=information_request.organisation_id
    )
    return [
        Notification(
            kind=kind,
            referral=information_request.referral,
            recipient_email=user.email,
            recipient=user,
            dedup_key=f"{key}:user:{user.pk}",
        )
        for user in partners.only("pk", "email")
    ]


def outbox_partner_request(information_request) -> list[Notification]:
    """A new request to the agency; never the question or anything shared."""
    key = f"partner_request:{information_request.pk}"
    return _queue(_partner_rows(Kind.PARTNER_REQUEST, information_request, key))


def outbox_partner_reminder(information_request) -> list[Notification]:
    key = f"partner_reminder:{information_request.pk}"
    return _queue(_partner_rows(Kind.PARTNER_REMINDER, information_request, key))


def outbox_partner_overdue(information_request) -> list[Notification]:
    """The Triage leads (else the intake mailboxes) learn a partner's answer is late."""
    referral = information_request.referral
    key = f"partner_overdue:{information_request.pk}"
    leads = list(_triage_leads())
    rows = [
        Notification(
            kind=Kind.PARTNER_OVERDUE,
            referral=referral,
            recipient_email=lead.email,
            recipient=lead,
            dedup_key=f"{key}:user:{lead.pk}",
        )
        for lead in leads
    ]
    if not rows:
        rows = _intake_rows(Kind.PARTNER_OVERDUE, referral, key, None)
    return _queue(rows)


def outbox_partner_answered(information_request) -> list[Notification]:
    """The worker who asked (else the assignee, else the intake mailbox)."""
    referral = information_request.referral
    worker = information_request.asked_by
    if not (worker.is_active and worker.has_role(Role.TRIAGE)):
        worker = referral.assigned_to
    key = f"partner_answered:{information_request.pk}"
    return _queue(_intake_rows(Kind.PARTNER_ANSWERED, referral, key, worker))


# --- h19c: hand-offs (referrals/handoffs) --------------------------------------


def _handoff_team_rows(handoff) -> list[Notification]:
    """The receiving team's mailbox and the active users of its organisation: the
    reference and the acknowledgement link (mailbox) or the portal (users), nothing else."""
    team = handoff.team
    rows = []
    if team.mailbox:
        rows.append(
            Notification(
                kind=Kind.HANDOFF,
                referral=handoff.referral,
                handoff=handoff,
                recipient_email=team.mailbox,
                urgent=handoff.referral.is_urgent,
                dedup_key=f"handoff:{handoff.pk}:{team.mailbox}",
            )
        )
    if team.organisation_id:
        users = User.objects.active_with_role(Role.PARTNER).filter(
            organisation_id=team.organisation_id
        )
        rows += [
            Notification(
                kind=Kind.HANDOFF,
                referral=handoff.referral,
                handoff=handoff,
                recipient_email=user.email,
                recipient=user,
                urgent=handoff.referral.is_urgent,
                dedup_key=f"handoff:{handoff.pk}:user:{user.pk}",
            )
            for user in users.only("pk", "email")
        ]
    return rows


def _handoff_lead_rows(kind: str, handoff) -> list[Notification]:
    return [
        Notification(
            kind=kind,
            referral=handoff.referral,
            handoff=handoff,
            recipient_email=lead.email,
            recipient=lead,
            urgent=handoff.referral.is_urgent,
            dedup_key=f"{kind}:{handoff.pk}:user:{lead.pk}",
        )
        for lead in _triage_leads()
    ]


def outbox_handoff(handoff) -> list[Notification]:
    """A sent hand-off: its team is told. An unrouted one with no team to take it: the
    Triage leads are told (several teams: the deciding worker chooses on the page)."""
    if handoff is None:
        return []
    if handoff.team_id is not None:
        return _queue(_handoff_team_rows(handoff))
    if ReceivingTeam.objects.receiving(handoff.contact_outcome):
        return []
    return _queue(_handoff_lead_rows(Kind.HANDOFF_UNROUTED, handoff))


@transaction.atomic
def notifications_queue_handoff_overdue(*, now: dt.datetime | None = None) -> list[Notification]:
    """Beat: each hand-off not acknowledged by its due time alerts the Triage leads,
    once per hand-off and lead however often it runs."""
    now = now or timezone.now()
    overdue = (
        Handoff.objects.overdue(now)
        .exclude(notifications__kind=Kind.HANDOFF_OVERDUE)
        .select_related("referral")
    )
    rows = []
    for handoff in overdue:
        rows.extend(_handoff_lead_rows(Kind.HANDOFF_OVERDUE, handoff))
    return _queue(rows)


def outbox_break_glass(referral: Referral, *, grant_id: int) -> list[Notification]:
    """Someone opened a referral outside their scope (break-glass, referrals.search):
    the triage leads are told. Content-free: the reference and a link, never who it is
    about, who opened it or why (that is in the audit trail)."""
    rows = [
        Notification(
            kind=Kind.BREAK_GLASS,
            referral=referral,
            recipient_email=lead.email,
            recipient=lead,
            dedup_key=f"break_glass:{grant_id}:user:{lead.pk}",
        )
        for lead in _triage_leads()
    ]
    return _queue(rows)


# --- h21a: attachments (referrals/attachments) ------------------------------------


def outbox_file_quarantined(attachment) -> list[Notification]:
    """'A file you attached to referral CL-... was quarantined by the virus check', to
    its uploader. Never the file's name or what was found."""
    user = attachment.uploaded_by
    referral = attachment.referral
    return _queue(
        [
            Notification(
                kind=Kind.FILE_QUARANTINED,
                referral=referral,
                recipient_email=user.email,
                recipient=user,
                urgent=referral.is_urgent,
                dedup_key=f"file_quarantined:{attachment.pk}",
            )
        ]
    )
