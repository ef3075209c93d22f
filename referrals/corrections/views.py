"""Correcting a submitted contact or a decision (triage): a page with the form, whose
valid POST records the corrections and goes back to the referral page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.models import Role
from referrals.corrections import services
from referrals.corrections.forms import ContactCorrectionForm, DecisionCorrectionForm
from referrals.permissions import Action, referral_for_user


def _back(referral):
    return redirect(reverse("referral_detail", args=[referral.reference]) + "#corrections")


def _correct(request, reference, form_class, service, title: str):
    referral = referral_for_user(request.user, Action.TRIAGE, reference=reference, request=request)
    form = form_class(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                referral=referral,
                user=request.user,
                changes=form.changes,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.CorrectionRefused as exc:
            messages.error(request, str(exc))
            return _back(referral)
        messages.success(request, "Correction recorded. The original stays in the chronology.")
        return _back(referral)
    context = {"referral": referral, "form": form, "title": title, "action_url": request.path}
    return render(request, "referrals/corrections/form.html", context)


@role_required(Role.TRIAGE)
@require_http_methods(["GET", "POST"])
def referral_correct_contact(request, reference):
    return _correct(
        request,
        reference,
        ContactCorrectionForm,
        services.referral_correct_contact,
        "Correct the contact's details",
    )


@role_required(Role.TRIAGE)
@require_http_methods(["GET", "POST"])
def referral_correct_decision(request, reference):
    referral = referral_for_user(request.user, Action.TRIAGE, reference=reference, request=request)
    if not referral.contact_outcome:
        messages.error(request, "There is no decision to correct yet.")
        return _back(referral)
    return _correct(
        request,
        reference,
        DecisionCorrectionForm,
        services.referral_correct_decision,
        "Correct the decision",
    )
