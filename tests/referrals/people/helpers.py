"""Referrals in bulk for the network tests: rows written straight to the tables (as
bench/data.py does), since the graph only reads `Referral` and `LinkKey`."""

import datetime as dt

from django.utils import timezone

from indicators.models import CatalogueVersion
from referrals import links
from referrals.models import LinkKey, Referral, Status


def bulk_sharing(author, count: int, *, phone="+447700900123", start=1, days_ago=10):
    """`count` submitted referrals that all give the phone number `phone`."""
    version = CatalogueVersion.objects.current()
    when = timezone.now() - dt.timedelta(days=days_ago)
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                author=author,
                organisation=author.organisation,
                catalogue_version=version,
                status=Status.SUBMITTED,
                submitted_at=when + dt.timedelta(minutes=i),
                reference=f"BULK-{start + i:05d}",
                first_name="Bulka",
                last_name=f"Testperson{start + i}",
            )
            for i in range(count)
        ]
    )
    LinkKey.objects.bulk_create(
        [
            LinkKey(referral=r, kind=k, value=v, display=d)
            for r in referrals
            for k, v, d in links.phone_keys(phone)
        ]
    )
    return referrals
