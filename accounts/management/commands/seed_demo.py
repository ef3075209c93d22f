"""Demo organisations and one user per role, for `make run` and for trying the portal.

Every person here is invented. Idempotent: running it twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation, Role, User
from accounts.services import user_ensure
from referrals.models import Council

ORGANISATIONS = [
    ("Northbrook Academy (demo)", Organisation.Kind.SCHOOL),
    ("Riverside Youth Service (demo)", Organisation.Kind.YOUTH_SERVICE),
    ("Eastshire Police (demo)", Organisation.Kind.POLICE),
    ("Eastshire Children's Social Care (demo)", Organisation.Kind.SOCIAL_CARE),
]

# Other councils' front doors (issue 18): (name, mailbox, phone, postcode areas). Invented
# names; phone numbers from Ofcom's drama ranges.
COUNCILS = [
    ("Westdale Council (demo)", "mash@westdale.example.org", "01632 960100", ["BD", "HX"]),
    ("Northmoor Council (demo)", "front.door@northmoor.example.org", "01632 960200", ["HG", "YO1"]),
]

# (email, full name, job title, roles, organisation name)
DEMO_USERS = [
    (
        "practitioner@example.org",
        "Pat Demo-Teacher",
        "Designated safeguarding lead",
        [Role.PRACTITIONER],
        "Northbrook Academy (demo)",
    ),
    (
        "other.practitioner@example.org",
        "Olly Demo-Youthworker",
        "Youth worker",
        [Role.PRACTITIONER],
        "Riverside Youth Service (demo)",
    ),
    (
        "triage@example.org",
        "Tara Demo-Triage",
        "Intake social worker",
        [Role.TRIAGE],
        "Eastshire Children's Social Care (demo)",
    ),
    (
        "manager@example.org",
        "Morgan Demo-Manager",
        "Service manager",
        [Role.MANAGER],
        "Eastshire Children's Social Care (demo)",
    ),
    (
        "admin@example.org",
        "Alex Demo-Admin",
        "Portal administrator",
        [Role.ADMINISTRATOR],
        "Eastshire Children's Social Care (demo)",
    ),
]


class Command(BaseCommand):
    help = "Create demo organisations and users (refuses when DEBUG is off unless --force)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (never in live)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a known password: it runs only with DEBUG on "
                "(or --force, never on a live portal)."
            )
        organisations = {}
        for name, kind in ORGANISATIONS:
            organisations[name], _ = Organisation.objects.get_or_create(
                name=name, defaults={"kind": kind}
            )
        for name, mailbox, phone, areas in COUNCILS:
            Council.objects.get_or_create(
                name=name,
                defaults={
                    "front_door_email": mailbox,
                    "front_door_phone": phone,
                    "postcode_areas": areas,
                },
            )
        created_count = 0
        for email, full_name, job_title, roles, org_name in DEMO_USERS:
            user, created = user_ensure(
                email=email,
                full_name=full_name,
                job_title=job_title,
                roles=roles,
                organisation=organisations[org_name],
                password=settings.DEMO_PASSWORD,
                work_phone="01632 960000",
            )
            if user.has_role(Role.ADMINISTRATOR) and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            created_count += created
        contacts = seed_demo_contacts(
            User.objects.get(email="practitioner@example.org"),
            User.objects.get(email="triage@example.org"),
        )
        seed_demo_receiving_teams()  # h19c: before the decided contacts, so early help hands off
        decided = _seed_decided_contacts()
        decided += seed_demo_retention()  # h21r
        self.stdout.write(f"Demo contacts: {contacts} rated and {decided} decided, new.")
        self.stdout.write(f"Demo data ready ({created_count} users created). Sign in with:")
        for email, _name, _title, roles, _org in DEMO_USERS:
            role_names = ", ".join(r.label for r in roles)
            self.stdout.write(f"  {email:<34} {role_names:<14} password: {settings.DEMO_PASSWORD}")
        seed_demo_partners(self.stdout)  # h19b
        seed_demo_api_client(self.stdout)  # h22c
        seed_demo_subject_access()  # h21s


# --- Demo contacts, rated at the front door (issue 18) -----------------------------
# (first name, last name, ratings in order with their reasons); invented people only.
DEMO_CONTACTS = [
    ("Demo", "Greenfield", [("green", "Advice to the school may be enough.")]),
    ("Demo", "Amberley", [("amber", "Several warning signs; nobody in immediate danger.")]),
    (
        "Demo",
        "Redmond",
        [
            ("amber", "Two warning signs."),
            ("red", "Re-rated: the school says he has been missing since last night."),
        ],
    ),
]
DEMO_CONCERN = "(demo) Seen getting into unknown cars after school."


def seed_demo_contacts(practitioner: User, triager: User) -> int:
    """Submit the demo contacts through the real services and rate them; skipped when
    they exist (idempotent)."""
    from indicators.models import CatalogueVersion
    from referrals.intake.services import referral_submit
    from referrals.models import Answer, Referral, Section
    from referrals.permissions import grant_author
    from referrals.triage.services import referral_rate

    if Referral.objects.filter(author=practitioner, concern=DEMO_CONCERN).exists():
        return 0
    catalogue = CatalogueVersion.objects.current()
    for first_name, last_name, ratings in DEMO_CONTACTS:
        draft = Referral.objects.create(
            author=practitioner,
            organisation=practitioner.organisation,
            catalogue_version=catalogue,
            sections_completed=list(Section.values),
            immediate_danger="no",
            subject_type="child",
            first_name=first_name,
            last_name=last_name,
            approximate_age=14,
            sex="Not known",
            family_told="yes",
            consent_given="yes",
            concern=DEMO_CONCERN,
            referrer_name=practitioner.full_name,
            referrer_email=practitioner.email,
        )
        grant_author(practitioner, draft)
        Answer.objects.bulk_create(
            Answer(referral=draft, indicator=indicator, answer="yes" if i < 2 else "no")
            for i, indicator in enumerate(catalogue.indicators.for_audience("child"))
        )
        referral = referral_submit(referral=draft, user=practitioner)
        for rating, rationale in ratings:
            referral_rate(referral=referral, user=triager, rating=rating, rationale=rationale)
    return len(DEMO_CONTACTS)


# Decided contacts with various outcomes (issue 18), made through the real services:
# (first name, subject type, date of birth, warning signs answered yes, decision).
DEMO_DECIDED_CONTACTS = [
    (
        "Zoë",
        "child",
        "2011-04-02",
        ["cl-01", "cl-06"],
        {"contact_outcome": "referral", "next_step": "s47", "factors": ["10A", "23A"]},
    ),
    (
        "Łukasz",
        "child",
        "2009-11-20",
        ["cl-05"],
        {"contact_outcome": "early_help", "factors": ["23A"]},
    ),
    ("Æsa", "child", "2012-07-14", [], {"contact_outcome": "advice", "factors": ["21"]}),
    ("Ødin", "adult", "1971-02-03", ["cu-01", "cu-04"], {"contact_outcome": "adult_safeguarding"}),
    (
        "Mira",
        "child",
        "2010-09-09",
        ["cl-02"],
        {"contact_outcome": "screening_not_required", "screening_reason": "other_area"},
    ),
]
DEMO_CONTACT_SURNAME = "Demo-Contact"


def _seed_decided_contacts() -> int:
    """Submitted by the demo practitioner, decided by the demo triage worker; skipped
    when they exist (matched by the invented names), so running twice adds nothing."""
    from referrals.models import Referral

    created = 0
    for first_name, subject_type, dob, yes, decision in DEMO_DECIDED_CONTACTS:
        if Referral.objects.filter(first_name=first_name, last_name=DEMO_CONTACT_SURNAME).exists():
            continue
        _demo_decided(first_name, DEMO_CONTACT_SURNAME, subject_type, dob, yes, decision)
        created += 1
    return created


def _demo_decided(first_name, last_name, subject_type, dob, yes, decision):
    import datetime as dt

    from indicators.models import CatalogueVersion
    from referrals.intake.services import referral_submit
    from referrals.models import Answer, Referral, Section
    from referrals.permissions import grant_author
    from referrals.triage import services as triage

    author = User.objects.get(email="practitioner@example.org")
    worker = User.objects.get(email="triage@example.org")
    version = CatalogueVersion.objects.current()
    draft = Referral.objects.create(
        author=author,
        organisation=author.organisation,
        catalogue_version=version,
        sections_completed=list(Section.values),
        immediate_danger="no",
        subject_type=subject_type,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=dt.date.fromisoformat(dob),
        sex="Not known",
        ethnicity_code="NOBT",
        town="Demotown",
        family_told="yes",
        consent_given="yes",
        concern="Invented concern for the demo.",
        first_hand="first",
        referrer_name=author.full_name,
        referrer_email=author.email,
    )
    grant_author(author, draft)
    Answer.objects.bulk_create(
        Answer(referral=draft, indicator=i, answer="yes" if i.code in yes else "no")
        for i in version.indicators.for_audience(subject_type)
    )
    referral = referral_submit(referral=draft, user=author)
    referral = triage.referral_claim(referral=referral, user=worker)
    return triage.referral_decide(
        referral=referral, user=worker, rationale="Invented rationale for the demo.", **decision
    )


# --- h21r: contacts past their retention, one under a legal hold -------------------
# (first name, decided on, held); invented people, decided in 2018 so that six years
# have passed: the administrator sees them on the due list (/retention/).
DEMO_RETENTION = [
    ("Ada", "2018-02-05", False),
    ("Bea", "2018-03-12", False),
    ("Cyd", "2018-04-16", True),
]
DEMO_RETENTION_SURNAME = "Demo-Retention"


def seed_demo_retention() -> int:
    import datetime as dt

    from django.utils import timezone

    from referrals.models import LegalHold, Referral
    from referrals.retention.services import retention_classes_ensure, retention_list_due

    retention_classes_ensure()
    admin = User.objects.get(email="admin@example.org")
    created = 0
    for first_name, decided_on, held in DEMO_RETENTION:
        if Referral.objects.filter(
            first_name=first_name, last_name=DEMO_RETENTION_SURNAME
        ).exists():
            continue
        referral = _demo_decided(
            first_name,
            DEMO_RETENTION_SURNAME,
            "child",
            "2005-06-01",
            ["cl-01"],
            {"contact_outcome": "nfa"},
        )
        decided_at = timezone.make_aware(dt.datetime.fromisoformat(f"{decided_on}T11:00"))
        Referral.objects.filter(pk=referral.pk).update(
            submitted_at=decided_at - dt.timedelta(hours=3), decided_at=decided_at
        )
        if held:
            LegalHold.objects.create(
                referral=referral, reason="(demo) An invented inquiry", placed_by=admin
            )
            Referral.objects.filter(pk=referral.pk).update(legal_hold=True)
        created += 1
    retention_list_due()
    return created


# --- h19b: partner agencies and one Partner user per kind the journey uses ---------
# (email, full name, job title, organisation name, kind); invented people only.
DEMO_PARTNERS = [
    (
        "partner.police@example.org",
        "Piotr Demo-Police",
        "MASH police researcher",
        "Eastshire Police (demo)",
        Organisation.Kind.POLICE,
    ),
    (
        "partner.health@example.org",
        "Hélène Demo-Health",
        "Named nurse for safeguarding",
        "Eastshire Health (demo)",
        Organisation.Kind.HEALTH,
    ),
]


def seed_demo_partners(stdout) -> int:
    """The demo police and health organisations and their Partner users (two-factor as
    staff); returns how many users were created."""
    created_count = 0
    for email, full_name, job_title, org_name, kind in DEMO_PARTNERS:
        organisation, _ = Organisation.objects.get_or_create(name=org_name, defaults={"kind": kind})
        _user, created = user_ensure(
            email=email,
            full_name=full_name,
            job_title=job_title,
            roles=[Role.PARTNER],
            organisation=organisation,
            password=settings.DEMO_PASSWORD,
            work_phone="01632 960000",
        )
        created_count += created
        stdout.write(f"  {email:<34} {'Partner':<14} password: {settings.DEMO_PASSWORD}")
    return created_count


# --- h19c: receiving teams for hand-offs (issue 19) --------------------------------
DEMO_EARLY_HELP_ORGANISATION = "Eastshire Early Help (demo)"
DEMO_EARLY_HELP_TEAM = "Eastshire Early Help hub (demo)"
DEMO_EARLY_HELP_MAILBOX = "early.help@eastshire.example.org"
DEMO_EARLY_HELP_USER = ("early.help@example.org", "Øyvind Demo-Earlyhelp", "Early help coordinator")


def seed_demo_receiving_teams() -> User:
    """The early help team a demo "early help" decision is handed to: a mailbox, and a
    demo organisation whose Partner user acknowledges in the portal. Idempotent."""
    from referrals.models import ReceivingTeam

    organisation, _ = Organisation.objects.get_or_create(
        name=DEMO_EARLY_HELP_ORGANISATION, defaults={"kind": Organisation.Kind.SOCIAL_CARE}
    )
    ReceivingTeam.objects.get_or_create(
        name=DEMO_EARLY_HELP_TEAM,
        defaults={
            "receives": ["early_help"],
            "mailbox": DEMO_EARLY_HELP_MAILBOX,
            "organisation": organisation,
        },
    )
    email, full_name, job_title = DEMO_EARLY_HELP_USER
    user, _created = user_ensure(
        email=email,
        full_name=full_name,
        job_title=job_title,
        roles=[Role.PARTNER],
        organisation=organisation,
        password=settings.DEMO_PASSWORD,
        work_phone="01632 960000",
    )
    return user


# --- h22c: a partner system's API client (issue 22) ---------------------------------
DEMO_API_CLIENT = "Demo school MIS (demo)"
# A known token, like the demo password: seed_demo runs only with DEBUG on (or --force).
DEMO_API_TOKEN = "demo-api-token-2026-not-for-a-live-portal"


def seed_demo_api_client(stdout) -> None:
    """A registered client of the demo practitioner's school with every scope, acting as
    the demo practitioner, so the API can be tried at once. Idempotent."""
    from referrals.models import ApiClient
    from referrals.models.api import token_hash

    practitioner = User.objects.get(email="practitioner@example.org")
    ApiClient.objects.get_or_create(
        name=DEMO_API_CLIENT,
        defaults={
            "organisation": practitioner.organisation,
            "accountable_person": practitioner,
            "scopes": list(ApiClient.Scope.values),
            "token_hash": token_hash(DEMO_API_TOKEN),
        },
    )
    stdout.write(
        f"API client {DEMO_API_CLIENT!r} (every scope): "
        f'curl -H "Authorization: Bearer {DEMO_API_TOKEN}" http://127.0.0.1:8000/api/v1/checklist/'
    )


# --- h21s: one open subject access request, so the administrator sees the journey --
DEMO_SAR_REQUESTER = "Zoë Demo-Contact (demo requester)"


def seed_demo_subject_access() -> bool:
    """An open request from the invented "Zoë Demo-Contact" for her own records,
    received a week ago; skipped when it exists. Its bundle is produced as usual."""
    import datetime as dt

    from django.utils import timezone

    from referrals.models import Referral, SubjectAccessRequest
    from referrals.subject_access import services

    if SubjectAccessRequest.objects.filter(requester_name=DEMO_SAR_REQUESTER).exists():
        return False
    referral = (
        Referral.objects.submitted()
        .filter(first_name="Zoë", last_name=DEMO_CONTACT_SURNAME)
        .select_related("person__record")
        .first()
    )
    if referral is None:
        return False
    services.subject_access_request_record(
        user=User.objects.get(email="admin@example.org"),
        person_record=referral.person.record,
        requester=SubjectAccessRequest.Requester.SUBJECT,
        requester_name=DEMO_SAR_REQUESTER,
        received_on=timezone.localdate() - dt.timedelta(days=7),
    )
    return True
