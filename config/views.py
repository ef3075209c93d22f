"""Operational endpoints that belong to the deployment rather than to an app."""

import logging
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app

logger = logging.getLogger(__name__)


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database check failed")
        return "down"
    return "ok"


# A reachable broker is remembered for this long in each process: connecting to it
# (a new Redis connection and channel) cost more than the rest of the request, on
# every health check. A broker found down is not remembered, so it is asked again on
# the next check. The database is checked on every request.
BROKER_OK_SECONDS = 10
_broker_ok_until = 0.0


def _broker_status() -> str:
    global _broker_ok_until
    if not settings.CELERY_BROKER_URL:
        return "not configured"
    if time.monotonic() < _broker_ok_until:
        return "ok"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.warning("healthz: broker unreachable")
        _broker_ok_until = 0.0
        return "down"
    _broker_ok_until = time.monotonic() + BROKER_OK_SECONDS
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Load balancers and uptime checks: 503 only when the database is down, since a
    broker outage loses nothing (notifications wait in the outbox)."""
    body = {"database": _database_status(), "broker": _broker_status()}
    return JsonResponse(body, status=200 if body["database"] == "ok" else 503)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form was refused because its security token was missing or
    out of date. Usually the page was open too long (the session ended and took the
    token with it) or the browser blocks cookies; the page says so and links back."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    context = {"back": back or reverse("home"), "sign_in": reverse("login")}
    return render(request, "403_csrf.html", context, status=403)


@require_GET
def accessibility_statement(request):
    """Public, as the Public Sector Bodies Accessibility Regulations 2018 require: the
    statement in GOV.UK's model form, reachable before signing in."""
    context = {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL}
    return render(request, "accessibility.html", context)
