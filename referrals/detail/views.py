"""The referral page, for its author (and their organisation where allowed) and triage."""

from django.shortcuts import render

from accounts.decorators import role_required
from accounts.models import Role
from referrals import permissions
from referrals.audit import audit_record
from referrals.detail.presenters import referral_page_context


# Managers: only a referral opened by break-glass from the search (referrals.search).
@role_required(Role.PRACTITIONER, Role.TRIAGE, Role.MANAGER)
def referral_detail(request, reference):
    referral = permissions.referral_for_user(request.user, reference=reference, request=request)
    audit_record(action="referral.viewed", request=request, referral=referral)
    return render(request, "referrals/detail/page.html", referral_page_context(request, referral))
