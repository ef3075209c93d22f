"""Retention (issue 21): the due list, the dry run and approval of a destruction batch,
legal holds and the destruction register. Administrators only; 404 for anyone else."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from referrals.audit import audit_record
from referrals.models import LegalHold, Referral, RetentionClass, Tombstone
from referrals.permissions import (
    can_manage_retention,
    destruction_batch_for_user,
    legal_hold_for_user,
)
from referrals.retention import services
from referrals.retention.forms import BatchForm, HoldForm, LiftForm
from referrals.retention.panel import batch_rows, due_rows


def _check(request) -> None:
    if not can_manage_retention(request.user):
        raise Http404


def _batch_form(data, rows):
    references = [row.reference for row in rows if not row.held]
    return BatchForm(data, references=references, max_batch=settings.RETENTION_BATCH_MAX)


@role_required(Role.ADMINISTRATOR)
@require_GET
def retention_due_list(request):
    _check(request)
    rows, everything_held = due_rows()
    audit_record(action="retention.due_list_viewed", request=request, detail={"rows": len(rows)})
    context = {
        "rows": rows,
        "global_hold": everything_held,
        "form": _batch_form(None, rows),
        "held_count": sum(row.held for row in rows),
    }
    return render(request, "referrals/retention/due_list.html", context)


@role_required(Role.ADMINISTRATOR)
@require_POST
def retention_dry_run(request):
    _check(request)
    rows, everything_held = due_rows()
    form = _batch_form(request.POST, rows)
    if not form.is_valid():
        context = {"rows": rows, "global_hold": everything_held, "form": form}
        context["held_count"] = sum(row.held for row in rows)
        return render(request, "referrals/retention/due_list.html", context, status=400)
    ids = list(
        Referral.objects.filter(reference__in=form.cleaned_data["references"]).values_list(
            "pk", flat=True
        )
    )
    batch = services.destruction_dry_run(user=request.user, referral_ids=ids, request=request)
    return redirect("retention_batch", pk=batch.pk)


@role_required(Role.ADMINISTRATOR)
@require_GET
def retention_batch(request, pk):
    batch = destruction_batch_for_user(request.user, pk, request=request)
    audit_record(
        action="retention.batch_viewed", request=request, obj=batch, detail={"batch": batch.pk}
    )
    context = {
        "batch": batch,
        "rows": batch_rows(batch) if batch.state == batch.State.DRY_RUN else [],
        "tombstones": batch.tombstones.select_related("retention_class"),
        "counts": sorted(batch.counts.items()),
    }
    return render(request, "referrals/retention/batch.html", context)


@role_required(Role.ADMINISTRATOR)
@require_POST
def retention_batch_approve(request, pk):
    batch = destruction_batch_for_user(request.user, pk, request=request)
    if batch.state != batch.State.DRY_RUN:
        raise Http404
    tombstones = services.destruction_approve(batch=batch, user=request.user, request=request)
    count = len(tombstones)
    messages.success(
        request, f"{count} record{'' if count == 1 else 's'} destroyed. Tombstones are kept."
    )
    return redirect("retention_batch", pk=batch.pk)


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def retention_holds(request):
    _check(request)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holds = services.legal_hold_place(
            user=request.user,
            reason=data["reason"],
            referrals=data["referrals"],
            everything=data["everything"],
            request=request,
        )
        messages.success(request, f"Legal hold placed ({len(holds)}).")
        return redirect("retention_holds")
    holds = LegalHold.objects.active().select_related("referral", "placed_by")
    return render(request, "referrals/retention/holds.html", {"form": form, "holds": holds})


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def retention_hold_lift(request, pk):
    hold = legal_hold_for_user(request.user, pk, request=request)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.legal_hold_lift(
            hold=hold, user=request.user, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, "Legal hold lifted.")
        return redirect("retention_holds")
    return render(request, "referrals/retention/hold_lift.html", {"form": form, "hold": hold})


@role_required(Role.ADMINISTRATOR)
@require_GET
def retention_register(request):
    _check(request)
    tombstones = Tombstone.objects.select_related("retention_class", "approved_by", "batch")
    audit_record(action="retention.register_viewed", request=request)
    return render(request, "referrals/retention/register.html", {"tombstones": tombstones})


@role_required(Role.ADMINISTRATOR)
@require_GET
def retention_classes(request):
    _check(request)
    context = {"classes": RetentionClass.objects.all()}
    return render(request, "referrals/retention/classes.html", context)
