from django.shortcuts import render

from accounts.decorators import role_required
from accounts.models import Role


@role_required(Role.PRACTITIONER)
def referral_mine(request):
    return render(request, "referrals/mine.html")


@role_required(Role.TRIAGE)
def triage_queue(request):
    return render(request, "referrals/triage_queue.html")


@role_required(Role.MANAGER)
def report_list(request):
    return render(request, "referrals/report_list.html")
