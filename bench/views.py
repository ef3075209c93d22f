"""Baselines for the benchmarks (served only by bench.settings, never by the portal):
what Django itself costs for the same rows and a single insert, with no permission
check, audit, filter form, count or page layout."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.template import engines
from django.views.decorators.http import require_GET, require_POST

from referrals.models import AuditEvent, Referral

QUEUE = engines["django"].from_string(
    """<!DOCTYPE html><html lang="en"><head><title>Queue</title></head><body><table>
{% for r in rows %}<tr><td>{{ r.reference }}</td><td>{{ r.submitted_at|date:"j M Y H:i" }}</td>
<td>{{ r.decision_due_at|date:"j M Y H:i" }}</td><td>{{ r.is_urgent|yesno:"Urgent,Routine" }}</td>
<td>{{ r.first_name|first }}{{ r.last_name|first }}</td><td>{{ r.subject_type }}</td>
<td>{{ r.yes_count }}</td><td>{{ r.organisation.name }}</td>
<td>{{ r.assigned_to.full_name|default:"Unassigned" }}</td>
<td>{{ r.is_repeat|yesno:"Re-referral," }} {{ r.has_shared_phone|yesno:"Shared phone," }}
{{ r.has_shared_address|yesno:"Shared address," }}</td></tr>
{% endfor %}</table></body></html>"""
)

# The same query parameters the benchmark gives the triage queue, applied directly.
FILTERS = {
    "status": lambda qs, v: qs.filter(status=v),
    "urgent": lambda qs, v: qs.filter(is_urgent=v == "yes"),
    "subject_type": lambda qs, v: qs.filter(subject_type=v),
    "organisation": lambda qs, v: qs.filter(organisation_id=v),
    "assigned": lambda qs, v: qs.filter(assigned_to__isnull=True),
}


@require_GET
def baseline_queue(request):
    rows = Referral.objects.all()
    if not request.GET.get("status"):
        rows = rows.filter(status__in=["submitted", "in_triage"])
    for name, apply in FILTERS.items():
        if request.GET.get(name):
            rows = apply(rows, request.GET[name])
    rows = rows.select_related("organisation", "assigned_to").order_by(
        "-is_urgent", "decision_due_at", "pk"
    )[:50]
    return HttpResponse(QUEUE.render({"rows": rows}))


@require_POST
def baseline_insert(request):
    AuditEvent.objects.create(action="bench.baseline_insert", detail={})
    return HttpResponse(status=201)


REFERRAL = engines["django"].from_string(
    """<!DOCTYPE html><html lang="en"><head><title>{{ r.reference }}</title></head><body>
<h1>{{ r.reference }}</h1><p>{{ r.first_name }} {{ r.last_name }}, {{ r.date_of_birth }}</p>
<p>{{ r.organisation.name }}, {{ r.submitted_at|date:"j M Y H:i" }}, {{ r.status }}</p>
<p>{{ r.concern }}</p><ul>{% for k in keys %}<li>{{ k.kind }}: {{ k.display }}</li>{% endfor %}</ul>
</body></html>"""
)


@require_GET
def baseline_referral(request, reference):
    referral = Referral.objects.select_related("organisation").get(reference=reference)
    keys = referral.link_keys.all()
    return HttpResponse(REFERRAL.render({"r": referral, "keys": keys}))


# The floor: the cost of the stack with no work. Every middleware runs and the
# session and signed-in user are loaded as for any page; the view returns a fixed
# body of the size asked for (?bytes=, the size of the page it stands beside).
FLOOR_DEFAULT_BYTES = 20_000
FLOOR_MAX_BYTES = 1_000_000
_FLOOR_BODY = b"<!DOCTYPE html><html lang=en><title>Floor</title><p>" + b"x" * FLOOR_MAX_BYTES


@require_GET
def floor(request):
    try:
        size = int(request.GET.get("bytes", FLOOR_DEFAULT_BYTES))
    except ValueError:
        return HttpResponseBadRequest("bytes must be a whole number")
    if not 0 <= size <= FLOOR_MAX_BYTES:
        return HttpResponseBadRequest("bytes out of range")
    user = getattr(request, "user", None)  # loaded, as every page loads it
    if user is not None:
        user.is_authenticated  # noqa: B018
    return HttpResponse(_FLOOR_BODY[:size], content_type="text/html; charset=utf-8")


# The layout: the floor plus the portal's GOV.UK page layout (header with its navigation
# and unread count, messages, session-timeout warning, footer) around an empty page.
# The difference from the floor is what every full page pays before its own content.
LAYOUT = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Layout{% endblock title %}'
)


@require_GET
def layout(request):
    return HttpResponse(LAYOUT.render({}, request))
