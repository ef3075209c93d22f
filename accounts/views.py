from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.models import Role

# Where each role starts its day; the first role the user holds wins.
ROLE_HOME = [
    (Role.TRIAGE, "triage_queue"),
    (Role.PRACTITIONER, "referral_mine"),
    (Role.MANAGER, "report_list"),
    (Role.ADMINISTRATOR, "admin:index"),
]


@login_required
def home(request):
    for role, url_name in ROLE_HOME:
        if request.user.has_role(role):
            return redirect(url_name)
    return render(request, "accounts/no_role.html")
