"""The notification list's rows as display strings (issue 17): up to 100 rows, each with
a date, a label, a reference and an "Open" button, rendered by a Jinja2 fragment
(templates/referrals/notifications/rows.jinja) instead of a Django template loop with a
`{% url %}`, a `{% csrf_token %}` and a `|date` per row."""

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from referrals.fragments import render_fragment, when
from referrals.models import Notification

_NO_ID = 999999999


def notification_rows(notifications) -> list[dict]:
    open_url = reverse("notification_open", args=[_NO_ID])
    zone = timezone.get_current_timezone()
    kinds = dict(Notification._meta.get_field("kind").flatchoices)  # get_kind_display's
    rows = []
    for n in notifications:
        what = kinds.get(n.kind, n.kind)
        reference = n.referral.reference if n.referral_id else ""
        rows.append(
            {
                "received": when(n.created_at, zone),
                "what": what,
                "urgent": n.urgent,
                "reference": reference or f"{len(n.references)} overdue",
                "unread": n.is_unread,
                "open_url": open_url.replace(str(_NO_ID), str(n.pk)),
                # The button's name for a screen reader: "Open new referral CL-...".
                "open_label": f"{what.lower()} {reference}".rstrip(),
            }
        )
    return rows


def notification_table(request, rows: list[dict]) -> SafeString:
    """The table's body rows; one CSRF token for all the Open buttons, as the Django
    template's `{% csrf_token %}` gives within one page."""
    context = {"rows": rows, "csrf_token": get_token(request)}
    return render_fragment("referrals/notifications/rows.jinja", context)
