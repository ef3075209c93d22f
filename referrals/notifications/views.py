"""The in-portal notification list (Triage users) and the failed-messages page
(administrators). Both show references only; the referral page itself checks
permission and audits the read."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from referrals import permissions
from referrals.models import Notification
from referrals.notifications.forms import PreferencesForm
from referrals.notifications.presenters import notification_rows, notification_table
from referrals.notifications.services import (
    notification_mark_read,
    notification_preferences_update,
    notification_retry,
)

LIST_LENGTH = 100


@role_required(Role.TRIAGE)
@require_GET
def notification_list(request):
    mine = Notification.objects.filter(recipient=request.user)
    notifications = mine.select_related("referral").only(
        "kind", "urgent", "created_at", "read_at", "references", "referral__reference"
    )[:LIST_LENGTH]
    rows = notification_rows(notifications)
    context = {
        "notifications": rows,
        "notification_rows": notification_table(request, rows),
        "unread_count": mine.unread().count(),
        "list_length": LIST_LENGTH,
        "preferences": PreferencesForm(
            initial={"notify_new_referrals": request.user.notify_new_referrals}
        ),
    }
    return render(request, "referrals/notifications/list.html", context)


@role_required(Role.TRIAGE)
@require_POST
def notification_preferences(request):
    form = PreferencesForm(request.POST)
    form.is_valid()  # a checkbox: absent means "no", nothing can be invalid
    wanted = form.cleaned_data["notify_new_referrals"]
    notification_preferences_update(user=request.user, notify_new_referrals=wanted, request=request)
    messages.success(
        request,
        "You will be emailed as each new referral arrives."
        if wanted
        else "You will not be emailed about new referrals; they still appear in this list.",
    )
    return redirect("notification_list")


@role_required(Role.TRIAGE)
@require_POST
def notification_open(request, pk: int):
    """Opening marks the notification read (a POST: GET never changes state) and goes
    to what it is about. Another user's notification is a 404."""
    notification = permissions.notification_for_user(request.user, pk)
    notification_mark_read(notification=notification)
    if notification.referral_id and notification.referral.reference:
        return redirect("referral_detail", reference=notification.referral.reference)
    return redirect("triage_queue")


@role_required(Role.ADMINISTRATOR)
@require_GET
def notification_failed_list(request):
    failed = Notification.objects.failed().select_related("referral", "recipient")
    return render(
        request, "referrals/notifications/failed.html", {"notifications": failed[:LIST_LENGTH]}
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def notification_failed_retry(request, pk: int):
    notification = permissions.notification_for_user(request.user, pk, failed=True)
    notification_retry(notification=notification, user=request.user, request=request)
    messages.success(request, f"Message {notification.pk} will be sent again.")
    return redirect(reverse("notification_failed_list"))
