"""Person records, the duplicates queue, a referral's network and the MACE list. Every
page is audited: a person record gathers every referral about a child."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import role_required
from accounts.models import Role
from referrals import network, permissions, person_records
from referrals.audit import audit_record
from referrals.people import presenters
from referrals.people.forms import MERGE, DuplicateDecisionForm
from referrals.permissions import Action


@role_required(Role.TRIAGE, Role.MANAGER)
@require_GET
def person_detail(request, pk):
    record = permissions.person_record_for_user(request.user, pk, request=request)
    if record.merged_into_id:
        return redirect("person_detail", pk=person_records.live(record).pk)
    person_records.person_record_viewed(record=record, user=request.user, request=request)
    context = presenters.person_page_context(request, record)
    return render(request, "referrals/people/person.html", context)


@role_required(Role.TRIAGE, Role.MANAGER)
@require_GET
def duplicates_queue(request):
    if not permissions.can_see_person_records(request.user):
        raise Http404
    context = presenters.duplicates_context(request)
    audit_record(
        action="person.duplicates_viewed", request=request, detail={"listed": len(context["rows"])}
    )
    return render(request, "referrals/people/duplicates.html", context)


@role_required(Role.TRIAGE)
@require_http_methods(["GET", "POST"])
def duplicate_decide(request, pk):
    found = permissions.possible_duplicate_for_user(request.user, pk, request=request)
    form = DuplicateDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        # The older record keeps its number; the newer one points at it.
        record, other = sorted([found.record, found.other], key=lambda r: r.pk)
        decide = (
            person_records.person_record_merge
            if form.cleaned_data["decision"] == MERGE
            else person_records.person_record_mark_not_same
        )
        try:
            decide(record=record, other=other, user=request.user, request=request)
        except person_records.DecisionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Decision recorded")
        return redirect("duplicates_queue")
    context = {"found": found, "form": form, **presenters.duplicate_pair(found, request.user)}
    status = 400 if form.errors else 200
    return render(request, "referrals/people/decide.html", context, status=status)


@role_required(Role.TRIAGE)
@require_POST
def person_decision_undo(request, pk):
    decision = permissions.person_decision_for_user(request.user, pk, request=request)
    try:
        person_records.person_decision_undo(decision=decision, user=request.user, request=request)
    except person_records.DecisionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Decision undone")
    return redirect("person_detail", pk=decision.record_id)


@role_required(Role.TRIAGE)
@require_GET
def referral_network(request, reference):
    referral = permissions.referral_for_user(
        request.user,
        Action.TRIAGE,
        reference=reference,
        request=request,
        audit_action="referral.network_viewed",
    )
    audit_record(action="referral.network_viewed", request=request, referral=referral)
    context = {
        "referral": referral,
        "network": network.network_for([referral]),
        "network_caption": f"Network of {referral.reference}",
    }
    return render(request, "referrals/people/network.html", context)


@role_required(Role.MANAGER)
@require_GET
def mace_report(request):
    if not permissions.can_see_mace_list(request.user):
        raise Http404
    entries = network.mace_list()
    audit_record(action="mace.viewed", request=request, detail={"listed": len(entries)})
    context = {"entries": entries, "days": network.MACE_DAYS, "minimum": network.MACE_MINIMUM}
    return render(request, "referrals/people/mace.html", context)
