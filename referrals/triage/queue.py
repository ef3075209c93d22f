"""The rows of the triage queue and "my work", as display strings, and the count.

The queue is the intake team's most-loaded page: 50 rows of dates, waiting times and
tags. Formatting them here, once per value and without the template filters' per-call
locale look-ups, keeps the page's cost close to the bare rows' (issue 9)."""

import datetime as dt

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from referrals.fragments import render_fragment, when
from referrals.models import Rag, Referral

# GOV.UK tag colours for the RAG ratings (the triage panel uses the same).
RAG_TAG_CLASSES = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
}

# Only what the table shows; a column added to the table must be added here too (the
# queue's constant-query test fails otherwise).
QUEUE_COLUMNS = (
    "reference",
    "status",
    "submitted_at",
    "decision_due_at",
    "claim_due_at",
    "is_urgent",
    "first_name",
    "last_name",
    "date_of_birth",
    "approximate_age",
    "subject_type",
    "yes_count",
    "is_repeat",
    "has_same_person",
    "has_shared_phone",
    "has_shared_address",
    "has_shared_vehicle",
    "is_known",
    "waiting_on_referrer_since",
    "has_new_information",
    "assigned_to_id",
    "organisation__name",
    "assigned_to__full_name",
    "rag_rating",
    "rag_due_at",
)

_RAG_LABELS = dict(Rag.choices)


class QueueRecord:
    """One queue row as read: the columns above as attributes, without a model
    instance (building 50 Referrals with their organisation and assignee cost more CPU
    than formatting and rendering the rows; issue 17). The rules the row shows (overdue,
    initials, age band ...) are the model's own methods, borrowed, so they stay in one
    place."""

    def __init__(self, values: dict):
        self.__dict__.update(values)

    is_undecided = Referral.is_undecided
    initials = Referral.initials
    age_on = Referral.age_on
    age_band_on = Referral.age_band_on
    is_overdue = Referral.is_overdue
    is_claim_overdue = Referral.is_claim_overdue
    is_rag_overdue = Referral.is_rag_overdue

    def get_rag_rating_display(self) -> str:
        return _RAG_LABELS.get(self.rag_rating, self.rag_rating)


def queue_queryset(queryset):
    """The queue's rows in queue order, as dicts of QUEUE_COLUMNS (one query, two joins)."""
    return queryset.for_queue().values(*QUEUE_COLUMNS)


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def waiting(since: dt.datetime | None, now: dt.datetime) -> str:
    """How long a referral has waited, to two units: "2 days, 3 hours", "45 minutes"."""
    if since is None:
        return ""
    minutes = max(int((now - since).total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _count(days, "day") + (f", {_count(hours, 'hour')}" if hours else "")
    if hours:
        return _count(hours, "hour") + (f", {_count(minutes, 'minute')}" if minutes else "")
    return _count(minutes, "minute")


def queue_row(referral: QueueRecord, now: dt.datetime, detail_url: str, zone: dt.tzinfo) -> dict:
    received_on = (referral.submitted_at or now).astimezone(zone).date()
    return {
        "reference": referral.reference,
        "url": detail_url.replace("__reference__", referral.reference),
        "received": when(referral.submitted_at, zone),
        "waiting": waiting(referral.submitted_at, now),
        "due": when(referral.decision_due_at, zone),
        "overdue": referral.is_overdue(now),
        "urgent": referral.is_urgent,
        "claim_overdue": referral.is_urgent and referral.is_claim_overdue(now),
        "subject": f"{referral.initials}, {referral.age_band_on(received_on)}",
        "subject_type": referral.subject_type.capitalize() or "Not given",
        "yes_count": referral.yes_count,
        "warning_signs": f"{_count(referral.yes_count, 'warning sign')} answered Yes",
        "referred_by": referral.organisation__name,
        "assigned_to": referral.assigned_to__full_name if referral.assigned_to_id else "",
        "repeat": referral.is_repeat,
        # Referred before more than a year ago, or referred again since.
        "same_person": referral.has_same_person and not referral.is_repeat,
        "shared_phone": referral.has_shared_phone,
        "shared_address": referral.has_shared_address,
        "shared_vehicle": referral.has_shared_vehicle,
        # The RAG rating's name is the tag's text, never its colour alone (WCAG 1.4.1).
        "rag": referral.get_rag_rating_display() if referral.rag_rating else "",
        "rag_class": RAG_TAG_CLASSES.get(referral.rag_rating, ""),
        "rag_due": when(referral.rag_due_at, zone),
        "rag_overdue": referral.is_rag_overdue(now),
        # A known child (referrals.known_children): with their worker when assigned.
        "known": _known(referral),
        # The referrer loop (referrals/addenda): a question open, and for how long.
        "waiting_on_referrer": waiting(referral.waiting_on_referrer_since, now),
        "new_information": referral.has_new_information,
        "no_links": not (
            referral.is_known
            or referral.is_repeat
            or referral.has_same_person
            or referral.has_shared_phone
            or referral.has_shared_address
            or referral.has_shared_vehicle
        ),
    }


def _known(referral: Referral) -> str:
    if not referral.is_known:
        return ""
    if referral.assigned_to_id:
        return f"Known \N{EM DASH} with {referral.assigned_to__full_name}"
    return "Known"


def queue_rows(referrals) -> list[dict]:
    """Display strings for a page of QueueRecords (a QueuePaginator's page)."""
    now = timezone.now()
    # One reverse for the page: references are [A-Z0-9-], so substitution is exact.
    detail_url = reverse("referral_detail", args=["__reference__"])
    zone = timezone.get_current_timezone()
    return [queue_row(referral, now, detail_url, zone) for referral in referrals]


def pagination(page, query: str) -> dict | None:
    """The GOV.UK pagination under the table: None when everything fits on one page.
    `query` is the page's query string without `page=`, kept on both links."""
    if page.paginator.num_pages <= 1:
        return None
    prefix = f"?{query}&page=" if query else "?page="
    return {
        "number": page.number,
        "num_pages": page.paginator.num_pages,
        "previous_url": f"{prefix}{page.previous_page_number()}" if page.has_previous() else "",
        "next_url": f"{prefix}{page.next_page_number()}" if page.has_next() else "",
    }


def queue_table(page, rows: list[dict], *, caption: str, query: str = "") -> SafeString:
    """The queue's table of `rows` (queue_rows of `page`) and its pagination, as HTML
    (templates/referrals/triage/queue_table.jinja: a Jinja2 fragment because it is the
    portal's hottest loop)."""
    context = {"caption": caption, "rows": rows, "pagination": pagination(page, query)}
    return render_fragment("referrals/triage/queue_table.jinja", context)


class QueuePaginator(Paginator):
    """Counts matching referrals up to `cap`: a filter to decided or closed referrals
    matches hundreds of thousands at national scale, and counting them all on every
    page cost more than the page itself. Beyond the cap the page says so, and paging
    stops at the cap."""

    def __init__(self, object_list, per_page, *, cap: int, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        # What to count: the referrals before queue_queryset() chose their columns,
        # whose joins the count does not need (the object list's, by default).
        self.counted = object_list if counted is None else counted

    def _get_page(self, object_list, number, paginator):
        # queue_queryset() gives dicts; a page holds QueueRecords (attributes, as models).
        records = [QueueRecord(values) for values in object_list]
        return super()._get_page(records, number, paginator)

    @cached_property
    def _counted(self) -> int:
        # Only the ids, unordered: the count needs neither the joins nor the order the
        # rows are shown in (cheaper to compile here and to run in PostgreSQL).
        return self.counted.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap


def count_summary(paginator: QueuePaginator) -> str:
    if paginator.capped:
        return (
            f"More than {paginator.cap:,} referrals match. The pages go up to the first "
            f"{paginator.cap:,}: use the filters to narrow them."
        )
    return f"{paginator.count:,} referral{'' if paginator.count == 1 else 's'}."
