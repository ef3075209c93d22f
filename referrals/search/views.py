"""The search page (triage and managers; everyone else 404) and the hop from a hit to
the referral that records "opened from search"."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.models import Role
from referrals.permissions import Action, can_search, referral_for_user
from referrals.search import services
from referrals.search.forms import SearchForm


@role_required(Role.TRIAGE, Role.MANAGER)
@require_GET
def referral_search(request):
    if not can_search(request.user):
        raise Http404
    form = SearchForm(request.GET if request.GET else None)
    context = {"form": form}
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
        request.user, Action.VIEW, reference=reference, request=request,
        audit_action="search.hit_opened",
    )
    services.search_hit_open(user=request.user, referral=referral, request=request)
    return redirect("referral_detail", reference=referral.reference)
