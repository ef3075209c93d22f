"""The search page (triage and managers; everyone else 404) and the hop from a hit to
the referral that records "opened from search"."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.models import Role
from referrals import person_records
from referrals.models import PersonMembership, Referral
from referrals.permissions import (
    Action,
    can_search,
    can_see_person_records,
    needs_break_glass,
    referral_for_user,
)
from referrals.search import services
from referrals.search.forms import BreakGlassForm, SearchForm


@role_required(Role.TRIAGE, Role.MANAGER)
@require_GET
def referral_search(request):
    if not can_search(request.user):
        raise Http404
    form = SearchForm(request.GET if request.GET else None)
    # h20c: each hit the searcher may open also links to its person record.
    context = {"form": form, "person_links": can_see_person_records(request.user)}
    if form.is_bound and form.is_valid():
        context["hits"] = services.referral_search(
            user=request.user, terms=form.cleaned_data, audited_terms=form.terms(), request=request
        )
    return render(request, "referrals/search/search.html", context)


@role_required(Role.TRIAGE, Role.MANAGER)
@require_GET
def search_hit_open(request, reference):
    if not can_search(request.user):
        raise Http404
    referral = referral_for_user(
        request.user,
        Action.VIEW,
        reference=reference,
        request=request,
        audit_action="search.hit_opened",
    )
    services.search_hit_open(user=request.user, referral=referral, request=request)
    return redirect("referral_detail", reference=referral.reference)


@role_required(Role.TRIAGE, Role.MANAGER)
@require_GET
def search_hit_open_person(request, reference):
    """h20c: a hit opened at its person record (audited as opened from the search)."""
    if not can_search(request.user) or not can_see_person_records(request.user):
        raise Http404
    referral = referral_for_user(
        request.user,
        Action.VIEW,
        reference=reference,
        request=request,
        audit_action="search.hit_opened",
    )
    membership = PersonMembership.objects.filter(referral=referral).select_related("record")
    membership = membership.first()
    if membership is None:
        raise Http404
    services.search_hit_open(user=request.user, referral=referral, request=request, to="person")
    return redirect("person_detail", pk=person_records.live(membership.record).pk)


@role_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def search_break_glass(request, public_id):
    """Ask for time-limited access to a hit outside the user's scope, with a reason."""
    referral = Referral.objects.filter(public_id=public_id).first()
    if referral is None or not needs_break_glass(request.user, referral):
        raise Http404
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.referral_break_glass(
            user=request.user,
            referral=referral,
            reason=form.cleaned_data["reason"],
            request=request,
        )
        return redirect("referral_detail", reference=referral.reference)
    context = {"form": form, "hours": settings.BREAK_GLASS_HOURS}
    return render(request, "referrals/search/break_glass.html", context)
