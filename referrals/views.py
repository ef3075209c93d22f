from django.shortcuts import render

from accounts.decorators import role_required
from accounts.models import Role


@role_required(Role.PRACTITIONER)
def referral_mine(request):
    return render(request, "referrals/mine.html")
