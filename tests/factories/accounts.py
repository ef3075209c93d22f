"""Factories for access-control tests (devices, account requests)."""

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccountRequest
from tests.factories import OrganisationFactory


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    name = "Authenticator app"
    confirmed = True


class AccountRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountRequest

    email = factory.Sequence(lambda n: f"requester{n}@testshire.sch.uk")
    full_name = factory.Sequence(lambda n: f"Testa Requester {n}")
    job_title = "Designated safeguarding lead"
    organisation = factory.SubFactory(OrganisationFactory)
    status = AccountRequest.Status.PENDING
