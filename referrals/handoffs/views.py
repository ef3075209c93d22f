"""Hand-offs' pages: the receiving teams (administrators), choosing the team of an
unrouted hand-off (triage), the team's list and acknowledgement (Partner users of its
organisation) and the public acknowledgement link from the team's email."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import public_page, role_required
from accounts.models import Role
from referrals.audit import audit_record
from referrals.handoffs import services
from referrals.handoffs.forms import ReceivingTeamForm, RouteForm
from referrals.models import ReceivingTeam
from referrals.permissions import (
    Action,
    handoff_for_user,
    handoff_to_route,
    handoffs_visible_to,
    referral_for_user,
)


@role_required(Role.ADMINISTRATOR)
@require_GET
def receiving_team_list(request):
    teams = ReceivingTeam.objects.select_related("organisation")
    return render(request, "referrals/handoffs/team_list.html", {"teams": teams})


def _team_form_page(request, form, title: str):
    if request.method == "POST" and form.is_valid():
        team = services.receiving_team_save(form=form, user=request.user, request=request)
        messages.success(request, f"{team.name} saved.")
        return redirect("receiving_team_list")
    return render(request, "referrals/handoffs/team_form.html", {"form": form, "title": title})


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def receiving_team_add(request):
    form = ReceivingTeamForm(request.POST or None)
    return _team_form_page(request, form, "Add a receiving team")


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def receiving_team_edit(request, pk: int):
    team = get_object_or_404(ReceivingTeam, pk=pk)
    form = ReceivingTeamForm(request.POST or None, instance=team)
    return _team_form_page(request, form, f"Change {team.name}")


@role_required(Role.TRIAGE)
@require_http_methods(["GET", "POST"])
def referral_handoff_route(request, reference, pk):
    referral = referral_for_user(
        request.user,
        Action.TRIAGE,
        reference=reference,
        request=request,
        audit_action="handoff.route",
    )
    handoff = handoff_to_route(request.user, referral, pk, request=request)
    teams = ReceivingTeam.objects.receiving(handoff.contact_outcome)
    form = RouteForm(request.POST or None, teams=teams)
    back = reverse("referral_detail", args=[referral.reference]) + "#handoffs"
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        try:
            services.handoff_route(handoff=handoff, team=team, user=request.user, request=request)
        except services.HandoffRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Handed to {team.name}. The team has been told.")
        return redirect(back)
    context = {
        "referral": referral,
        "handoff": handoff,
        "form": form,
        "teams": teams,
        "back_url": back,
        "action_url": request.path,
    }
    return render(request, "referrals/handoffs/route.html", context)


@role_required(Role.PARTNER)
@require_GET
def handoff_list(request):
    handoffs = handoffs_visible_to(request.user).select_related("referral", "team")
    rows = [
        {
            "pk": h.pk,
            "reference": h.referral.reference,
            "team": h.team.name,
            "outcome": h.get_contact_outcome_display(),
            "sent_at": h.sent_at,
            "acknowledged_at": h.acknowledged_at,
            "is_acknowledged": h.is_acknowledged,
            "acknowledge_url": reverse("handoff_acknowledge", args=[h.pk]),
        }
        for h in handoffs.order_by("-sent_at", "-pk")[:200]
    ]
    audit_record(action="handoff.list_viewed", request=request)
    return render(request, "referrals/handoffs/list.html", {"rows": rows})


@role_required(Role.PARTNER)
@require_POST
def handoff_acknowledge(request, pk):
    handoff = handoff_for_user(request.user, pk, request=request)
    handoff = services.handoff_acknowledge(handoff=handoff, user=request.user, request=request)
    messages.success(request, f"Hand-off of {handoff.referral.reference} acknowledged.")
    return redirect("handoff_list")


PROBLEMS = {
    "unknown": ("This link does not work", 404),
    "used": ("This hand-off has already been acknowledged", 200),
    "expired": ("This link has expired", 410),
}


@public_page
@require_http_methods(["GET", "POST"])
def handoff_acknowledge_link(request, token):
    """The link in the team's email. GET asks for confirmation (mail scanners follow
    links: a GET must change nothing); POST acknowledges once."""
    found = services.handoff_by_token(token)
    if found.problem:
        title, status = PROBLEMS[found.problem]
        context = {"title": title, "problem": found.problem, "handoff": found.handoff}
        return render(request, "referrals/handoffs/link_problem.html", context, status=status)
    handoff = found.handoff
    if request.method == "POST":
        user = request.user if request.user.is_authenticated else None
        handoff = services.handoff_acknowledge(
            handoff=handoff, user=user, via_link=True, request=request
        )
        return render(request, "referrals/handoffs/link_done.html", {"handoff": handoff})
    audit_record(
        action="handoff.link_opened", request=request, referral=handoff.referral, obj=handoff
    )
    return render(request, "referrals/handoffs/link_confirm.html", {"handoff": handoff})
