"""Demo organisations and one user per role, for `make run` and for trying the portal.

Every person here is invented. Idempotent: running it twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation, Role
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
        self.stdout.write(f"Demo data ready ({created_count} users created). Sign in with:")
        for email, _name, _title, roles, _org in DEMO_USERS:
            role_names = ", ".join(r.label for r in roles)
            self.stdout.write(f"  {email:<34} {role_names:<14} password: {settings.DEMO_PASSWORD}")
