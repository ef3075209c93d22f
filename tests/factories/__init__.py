"""Factories for synthetic people and records: every name here is invented."""

import factory
from django.contrib.auth.models import Group

from accounts.models import Organisation, Role, User
from referrals.models import Section

TEST_PASSWORD = "correct-horse-battery-staple-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testshire Agency {n}")
    kind = Organisation.Kind.SCHOOL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Testy McTestface {n}")
    job_title = "Safeguarding lead"
    work_phone = "01632 960001"
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[Role(r).value for r in extracted]))


class ReferralFactory(factory.django.DjangoModelFactory):
    """A draft with every section answered, made by the practitioner `author`.
    Use `submitted_referral()` for one that went through the real submission."""

    class Meta:
        model = "referrals.Referral"
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory, roles=[Role.PRACTITIONER])
    organisation = factory.SelfAttribute("author.organisation")
    catalogue_version = factory.LazyFunction(
        lambda: __import__("indicators.models", fromlist=["x"]).CatalogueVersion.objects.current()
    )
    sections_completed = factory.LazyFunction(lambda: list(Section.values))
    immediate_danger = "no"
    subject_type = "child"
    first_name = factory.Faker("random_element", elements=["Testa", "Fictiv", "Madeup", "Sample"])
    last_name = factory.Sequence(lambda n: f"Testperson{n}")
    date_of_birth = factory.Faker("date_between", start_date="-17y", end_date="-12y")
    sex = "Female"
    address_line_1 = factory.Sequence(lambda n: f"{n} Imaginary Road")
    town = "Testtown"
    postcode = "LS1 4AP"
    family_told = "yes"
    consent_given = "yes"
    concern = "Seen getting into unknown cars after school."
    referrer_name = factory.SelfAttribute("author.full_name")
    referrer_email = factory.SelfAttribute("author.email")

    @factory.post_generation
    def grant(self, create, extracted, **kwargs):
        if create:
            from referrals.permissions import grant_author

            grant_author(self.author, self)

    @factory.post_generation
    def yes_to(self, create, extracted, **kwargs):
        """yes_to=["cl-01", ...]: answer those indicators Yes (others No)."""
        if not create:
            return
        from referrals.models import Answer

        yes = set(extracted or ["cl-01"])
        Answer.objects.bulk_create(
            Answer(referral=self, indicator=ind, answer="yes" if ind.code in yes else "no")
            for ind in self.catalogue_version.indicators.for_audience(self.subject_type)
        )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "referrals.Person"

    role = "suspected_exploiter"
    name = factory.Sequence(lambda n: f"Invented Person {n}")


def submitted_referral(*, people: list[dict] | None = None, submitted_at=None, **fields):
    """A referral submitted through the real service (reference, due time, links,
    audit and outbox rows all as in production)."""
    from referrals.intake.services import referral_submit

    draft = ReferralFactory(**fields)
    for person in people or []:
        PersonFactory(referral=draft, **person)
    return referral_submit(referral=draft, user=draft.author, now=submitted_at)
