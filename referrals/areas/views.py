"""Other councils: the list administrators keep (issue 18), and triage recording a
contact's home council, which sends that council's front door one notice."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import role_required
from accounts.models import Role
from referrals.areas.forms import CouncilForm, HomeCouncilForm
from referrals.areas.panel import out_of_area_reasons
from referrals.areas.services import council_save, referral_record_home_council
from referrals.models import Council
from referrals.permissions import Action, referral_for_user


@role_required(Role.ADMINISTRATOR)
@require_GET
def council_list(request):
    return render(request, "referrals/areas/council_list.html", {"councils": Council.objects.all()})


def _council_form_page(request, form, title: str):
    if request.method == "POST" and form.is_valid():
        council = council_save(form=form, user=request.user, request=request)
        messages.success(request, f"{council.name} saved.")
        return redirect("council_list")
    return render(request, "referrals/areas/council_form.html", {"form": form, "title": title})


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def council_add(request):
    return _council_form_page(request, CouncilForm(request.POST or None), "Add a council")


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def council_edit(request, pk: int):
    council = get_object_or_404(Council, pk=pk)
    form = CouncilForm(request.POST or None, instance=council)
    return _council_form_page(request, form, f"Change {council.name}")


@role_required(Role.TRIAGE)
@require_http_methods(["GET", "POST"])
def referral_home_council(request, reference):
    referral = referral_for_user(request.user, Action.TRIAGE, reference=reference, request=request)
    # Suggested: the council covering the home postcode (its district before its area).
    suggested = Council.objects.covering(referral.postcode)[:1]
    current = referral.home_council_id or (suggested[0].pk if suggested else None)
    form = HomeCouncilForm(
        request.POST or None, councils=Council.objects.active(), initial={"council": current}
    )
    if request.method == "POST" and form.is_valid():
        council = form.cleaned_data["council"]
        referral_record_home_council(
            referral=referral, user=request.user, council=council, request=request
        )
        messages.success(request, f"{council.name} recorded as the home council and told.")
        return redirect(reverse("referral_detail", args=[referral.reference]) + "#front-door")
    context = {
        "referral": referral,
        "form": form,
        "title": "Record the home council",
        "action_url": request.path,
        "reasons": out_of_area_reasons(referral),
    }
    return render(request, "referrals/areas/home_council.html", context)
