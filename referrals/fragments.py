"""Rendering a row fragment: a `*.jinja` template under templates/, given display
strings by a presenter, and placed in a Django page as `{{ fragment }}` (README, "Which
template engine renders what")."""

import datetime as dt

from django.template import engines
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe


def render_fragment(template_name: str, context: dict) -> SafeString:
    """The fragment's HTML. Jinja2 escapes every value it prints (autoescaping is on
    in config.jinja2), so the result is marked safe for the page that includes it."""
    if not template_name.endswith(".jinja"):
        raise ValueError(f"{template_name}: fragments are *.jinja templates")
    html = engines["fragments"].get_template(template_name).render(context)
    return mark_safe(html)  # noqa: S308 - escaped by Jinja2's autoescaping


# The portal is in English; these match Django's "M" date format.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when(value: dt.datetime | None, zone: dt.tzinfo | None = None) -> str:
    """ "9 Mar 2026 17:00" in the portal's time zone (`zone`, when the caller has
    already looked it up for a page of rows)."""
    if value is None:
        return ""
    local = value.astimezone(zone or timezone.get_current_timezone())
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} {local.hour:02}:{local.minute:02}"
