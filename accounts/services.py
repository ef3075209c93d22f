"""Writes about users and organisations."""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Organisation, Role, User


@transaction.atomic
def user_ensure(
    *,
    email: str,
    full_name: str,
    roles: list[Role],
    organisation: Organisation | None,
    password: str,
    job_title: str = "",
    work_phone: str = "",
) -> tuple[User, bool]:
    """Create the user if missing, else bring profile and roles in line.

    The password is set only at creation: re-running must not change a password that
    its owner may have changed since."""
    user, created = User.objects.get_or_create(
        email=email.lower(),
        defaults={
            "full_name": full_name,
            "organisation": organisation,
            "job_title": job_title,
            "work_phone": work_phone,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    else:
        changed = {
            field: value
            for field, value in {
                "full_name": full_name,
                "organisation": organisation,
                "job_title": job_title,
                "work_phone": work_phone,
            }.items()
            if getattr(user, field) != value
        }
        if changed:
            for field, value in changed.items():
                setattr(user, field, value)
            user.save(update_fields=list(changed))
    wanted = set(Group.objects.filter(name__in=[r.value for r in roles]))
    if set(user.groups.all()) != wanted:
        user.groups.set(wanted)
    return user, created
