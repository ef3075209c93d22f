"""django-guardian's object permissions for referrals, on direct foreign keys: no
generic relations, so rows cannot be orphaned and joins use an index."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class ReferralUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE)


class ReferralGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE)
