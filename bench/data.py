"""Synthetic referrals at national scale, loaded with COPY.

Shape: five years of submissions with fewer at weekends and a seasonal swing, 150
organisations, 400 users, answers to the warning signs, people with phone numbers and
addresses that are reused the way county lines reuse them (a few "line" numbers shared
by many referrals), re-referrals of the same person (about 22%, as in England 2023-24),
decisions and their timings. Every name is invented ("Vobiren Tusalkor": syllables
that no list of real names holds together)."""

import contextlib
import datetime as dt
import functools
import math
import random
import time
import uuid
from collections import Counter

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation, Role, User
from bench.copy import Copier, next_id, reset_sequence, without_secondary_indexes
from indicators.models import CatalogueVersion
from referrals import links as link_rules
from referrals import normalise, timeliness
from referrals.models import (
    Answer,
    ContactOutcome,
    LinkKey,
    Person,
    ReferenceCounter,
    Referral,
    ReferralUserObjectPermission,
    Status,
)
from referrals.models.choices import (
    ADULT_ONLY_CONTACT_OUTCOMES,
    CHILD_ONLY_CONTACT_OUTCOMES,
    NEXT_STEPS,
)

ORGANISATIONS = 150
USERS = 400
KINDS = [k for k, _ in Organisation.Kind.choices]
# The partner kinds added later (education, youth justice, probation) get no bench
# organisations: weights of 0 at the end keep the seeded draws, and so the data, as before.
KIND_WEIGHTS = [35, 25, 15, 8, 5, 7, 5] + [0] * (len(KINDS) - 7)
POSTCODES = [
    f"LS{d} {n}{a}{b}" for d in range(1, 30) for n in range(1, 10) for a in "ABD" for b in "JLN"
]
LINE_NUMBERS = 2_000  # shared "line" phones, each seen in many referrals


def _weighted_days(start: dt.date, days: int, rng: random.Random) -> list[dt.date]:
    """Days with weekday and seasonal weights (more in autumn term, fewer in August)."""
    dates, weights = [], []
    for i in range(days):
        day = start + dt.timedelta(days=i)
        weekday = 1.0 if day.weekday() < 5 else 0.3
        season = 1.0 + 0.2 * math.sin((day.timetuple().tm_yday - 200) / 365 * 2 * math.pi)
        holiday = 0.5 if not timeliness.is_working_day(day) and day.weekday() < 5 else 1.0
        dates.append(day)
        weights.append(weekday * season * holiday)
    return dates, weights


# Invented names built from syllables no real name list would give together
# ("Vobiren Tusalkor"), 400 syllables drawn evenly, so that the letters of names vary
# about as much as real names' do and a trigram index is about as selective as on a
# real front door's data. Names that all began "Benchfirst"/"Benchlast", or were built
# from 40 syllables, shared most of their trigrams with a tenth or more of all rows and
# made each name search re-check that many (bench/findings.md).
SYLLABLES = [
    onset + vowel + coda
    for onset in "bdfgjklmnprstvwz"
    for vowel in "aeiou"
    for coda in ("", "l", "n", "r", "s")
]


def _invented_name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def _people_pool(rng: random.Random, size: int) -> list[tuple[str, str, str, dt.date]]:
    today = dt.date.today()
    pool = []
    for _ in range(size):
        dob = today - dt.timedelta(days=rng.randint(11 * 365, 45 * 365))
        first, last = _invented_name(rng, 2), _invented_name(rng, rng.choice((2, 3)))
        pool.append((first, last, _invented_name(rng, 2), dob))
    return pool


def _existing_bench_users() -> tuple[list[User], list[User]] | None:
    """The bench's practitioners and triagers from an earlier load, so that a second
    load (a busy month on top of five years) adds referrals, not agencies."""
    users = User.objects.filter(email__startswith="bench.user").select_related("organisation")
    practitioners = list(users.filter(groups__name=Role.PRACTITIONER).order_by("pk"))
    triage = list(users.filter(groups__name=Role.TRIAGE).order_by("pk"))
    return (practitioners, triage) if practitioners and triage else None


@transaction.atomic
def _organisations_and_users(rng: random.Random) -> tuple[list[User], list[User]]:
    existing = _existing_bench_users()
    if existing:
        return existing
    password = make_password("bench-password-2026")
    start = next_id(Organisation)
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Bench agency {start + i:04d}", kind=rng.choices(KINDS, KIND_WEIGHTS)[0])
        for i in range(ORGANISATIONS)
    )
    start = next_id(User)
    users = User.objects.bulk_create(
        User(
            email=f"bench.user{start + i}@example.org",
            full_name=f"Bench User {start + i}",
            organisation=orgs[i % len(orgs)],
            password=password,
            job_title="Bench role",
        )
        for i in range(USERS)
    )
    groups = {g.name: g for g in Group.objects.all()}
    practitioners, triage = users[:340], users[340:380]
    groups[Role.PRACTITIONER].user_set.add(*practitioners)
    groups[Role.TRIAGE].user_set.add(*triage)
    groups[Role.MANAGER].user_set.add(*users[380:390])
    groups[Role.ADMINISTRATOR].user_set.add(*users[390:])
    return practitioners, triage


def _skip_row_by_row_key_checks() -> bool:
    """Django's foreign keys are deferred: every COPYed row queues a trigger that checks
    its keys at COMMIT, one index look-up at a time (about 13 million at 1,000,000
    referrals, most of the load's time). As a superuser, switch those triggers off for
    this transaction and check the keys afterwards with one anti-join per table
    (_check_keys). Returns True when the triggers stay on."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return True
        cursor.execute("SET LOCAL session_replication_role = replica")
    return False


def _check_keys(first_referral_id: int, models) -> None:
    """Every row loaded points at a referral that exists (what the skipped triggers would
    have checked for the referral keys; users and permissions come from this load's own
    lists)."""
    referral_table = Referral._meta.db_table
    with connection.cursor() as cursor:
        for model in models:
            column = "content_object_id" if model is ReferralUserObjectPermission else "referral_id"
            cursor.execute(
                f'SELECT COUNT(*) FROM "{model._meta.db_table}" c WHERE c."{column}" >= %s '
                f'AND NOT EXISTS (SELECT 1 FROM "{referral_table}" r WHERE r.id = c."{column}")',
                [first_referral_id],
            )
            missing = cursor.fetchone()[0]
            if missing:
                raise RuntimeError(f"{missing} {model.__name__} rows point at no referral")
        cursor.execute("SET LOCAL session_replication_role = origin")


@transaction.atomic  # foreign keys are checked at commit, so tables load in any order
def generate(
    total: int,
    *,
    seed: int = 2026,
    log=print,
    window: tuple[dt.date, dt.date] | None = None,
) -> dict:
    """Load `total` referrals (plus their answers, people, link keys and the authors'
    object permissions), received over the last five years or, with `window`, between
    its first and last day. References continue each year's counter, so loads add up.
    Returns the row counts and the seconds taken."""
    rng = random.Random(seed)
    started = time.monotonic()
    checked_by_triggers = _skip_row_by_row_key_checks()
    practitioners, triage = _organisations_and_users(rng)
    version = CatalogueVersion.objects.current()
    indicators = list(version.indicators.filter(active=True))
    child_indicators = [i for i in indicators if i.audience in ("child", "both")]
    adult_indicators = [i for i in indicators if i.audience in ("adult", "both")]
    perms = Permission.objects.filter(
        content_type__app_label="referrals", codename__in=["view_referral", "change_referral"]
    ).values_list("pk", flat=True)

    now = timezone.now()
    if window:
        days, weights = _weighted_days(window[0], (window[1] - window[0]).days + 1, rng)
    else:
        days, weights = _weighted_days((now - dt.timedelta(days=5 * 365)).date(), 5 * 365, rng)
    submitted_days = sorted(rng.choices(days, weights, k=total))
    people = _people_pool(rng, max(total // 2, 10))
    line_phones = [f"+4477009{n:05d}" for n in range(LINE_NUMBERS)]
    # Contact outcomes open to a child and to an adult (Referral.allowed_contact_outcomes).
    outcomes = {
        child: [o.value for o in ContactOutcome if o not in excluded]
        for child, excluded in (
            (True, ADULT_ONLY_CONTACT_OUTCOMES),
            (False, CHILD_ONLY_CONTACT_OUTCOMES),
        )
    }

    referral_id = next_id(Referral)
    ids = {"answer": next_id(Answer), "person": next_id(Person), "link": next_id(LinkKey)}
    columns = [
        "id",
        "public_id",
        "reference",
        "status",
        "author_id",
        "organisation_id",
        "catalogue_version_id",
        "sections_completed",
        "immediate_danger",
        "is_urgent",
        "subject_type",
        "first_name",
        "last_name",
        "known_as",
        "date_of_birth",
        "sex",
        "address_line_1",
        "town",
        "postcode",
        "match_name",
        "concern",
        "referrer_name",
        "referrer_email",
        "created_at",
        "updated_at",
        "submitted_at",
        "decision_due_at",
        "assigned_to_id",
        "decided_at",
        "outcome",
        "contact_outcome",
        "cin_referral_date",
        "decision_rationale",
        "time_to_decision",
        "yes_count",
        "is_repeat",
        "has_same_person",
        "has_shared_phone",
        "has_shared_address",
    ]
    referrals = Copier(Referral, columns)
    answers = Copier(Answer, ["id", "referral_id", "indicator_id", "answer"])
    persons = Copier(Person, ["id", "referral_id", "role", "name", "phone", "address", "postcode"])
    links = Copier(LinkKey, ["id", "referral_id", "kind", "value", "display"])
    grants = Copier(ReferralUserObjectPermission, ["permission_id", "user_id", "content_object_id"])

    phone_use, address_use, person_use = Counter(), Counter(), Counter()
    planned = []
    seen_people: list[int] = []
    per_year: Counter = Counter(dict(ReferenceCounter.objects.values_list("year", "last_number")))
    sections = ["danger", "subject", "network", "indicators", "consent", "concern", "referrer"]
    recent = now - dt.timedelta(days=3)
    for n, day in enumerate(submitted_days):
        submitted_at = dt.datetime.combine(
            day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=timeliness.LONDON
        ).astimezone(dt.UTC)
        # About 22% are about someone referred before.
        if seen_people and rng.random() < 0.22:
            person_index = rng.choice(seen_people[-5000:])
        else:
            person_index = n % len(people)
            seen_people.append(person_index)
        first, last, known_as, dob = people[person_index]
        is_child = (submitted_at.date() - dob).days < 18 * 365
        postcode = POSTCODES[person_index % len(POSTCODES)]
        address = f"{person_index % 300 + 1} Benchmark Street"
        phone = rng.choice(line_phones) if rng.random() < 0.35 else f"+4477001{n % 100000:05d}"
        phone_use[phone] += 1
        address_use[(postcode, address)] += 1
        person_use[person_index] += 1
        planned.append((submitted_at, person_index, is_child, postcode, address, phone))

    # About 102,000 distinct numbers at any scale, each parsed by phonenumbers once.
    phone_keys = functools.lru_cache(maxsize=None)(link_rules.phone_keys)
    loaded = (Referral, Answer, Person, LinkKey, ReferralUserObjectPermission)
    loading = contextlib.ExitStack()
    if referral_id == 1:  # a first load: its indexes are built once, after the rows
        loading.enter_context(without_secondary_indexes(loaded, log))
    with loading:
        for n, (submitted_at, person_index, is_child, postcode, address, phone) in enumerate(
            planned
        ):
            rid = referral_id + n
            first, last, known_as, dob = people[person_index]
            year = submitted_at.astimezone(timeliness.LONDON).year
            per_year[year] += 1
            author = practitioners[rng.randrange(len(practitioners))]
            urgent = rng.random() < 0.08
            due = timeliness.decision_due(submitted_at)
            undecided = submitted_at > recent and rng.random() < 0.7
            if undecided:
                status, decided_at, contact, ttd = (
                    rng.choice([Status.SUBMITTED, Status.IN_TRIAGE]),
                    None,
                    "",
                    None,
                )
                assigned = (
                    triage[rng.randrange(len(triage))].pk if status == Status.IN_TRIAGE else None
                )
            else:
                ttd = dt.timedelta(hours=rng.lognormvariate(2.6, 0.8))
                decided_at = submitted_at + ttd
                status = Status.CLOSED if rng.random() < 0.6 else Status.DECIDED
                contact = rng.choice(outcomes[is_child])
                assigned = triage[rng.randrange(len(triage))].pk
            is_referral = contact == ContactOutcome.REFERRAL
            outcome = rng.choice(NEXT_STEPS).value if is_referral else ""
            cin_date = decided_at.astimezone(timeliness.LONDON).date() if is_referral else None
            pool = child_indicators if is_child else adult_indicators
            answered = rng.sample(pool, rng.randint(3, 8))
            yes = 0
            for indicator in answered:
                value = "yes" if rng.random() < 0.4 else rng.choice(["no", "unknown"])
                yes += value == "yes"
                answers.add((ids["answer"], rid, indicator.pk, value))
                ids["answer"] += 1
            persons.add(
                (ids["person"], rid, "suspected_exploiter", "Bench Olderperson", phone, "", "")
            )
            ids["person"] += 1
            # The same keys the submission service writes (referrals.links).
            keys = (
                phone_keys(phone)
                + link_rules.address_keys(address, postcode)
                + link_rules.person_keys(first, last, known_as, dob)
            )
            for kind, value, display in keys:
                links.add((ids["link"], rid, kind, value, display))
                ids["link"] += 1
            for perm in perms:
                grants.add((perm, author.pk, rid))
            referrals.add(
                (
                    rid,
                    uuid.uuid4(),
                    Referral.format_reference(year, per_year[year]),
                    status,
                    author.pk,
                    author.organisation_id,
                    version.pk,
                    sections,
                    "yes" if urgent else "no",
                    urgent,
                    "child" if is_child else "adult",
                    first,
                    last,
                    known_as,
                    dob,
                    rng.choice(["Female", "Male"]),
                    address,
                    "Benchtown",
                    postcode,
                    normalise.match_name(first, last),
                    "Bench concern text.",
                    author.full_name,
                    author.email,
                    submitted_at,
                    submitted_at,
                    submitted_at,
                    due,
                    assigned,
                    decided_at,
                    outcome,
                    contact,
                    cin_date,
                    "Bench rationale." if contact else "",
                    ttd,
                    yes,
                    rng.random() < 0.22,
                    person_use[person_index] > 1,
                    phone_use[phone] > 1,
                    address_use[(postcode, address)] > 1,
                )
            )
            if n and n % 100_000 == 0:
                log(f"  {n:,} referrals queued ({time.monotonic() - started:.0f}s)")
        for copier in (referrals, answers, persons, links, grants):
            copier.flush()
    for year, count in per_year.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last_number": count})
    for model in loaded:
        reset_sequence(model)
    if not checked_by_triggers:
        _check_keys(referral_id, (Answer, Person, LinkKey, ReferralUserObjectPermission))
    return {
        "referrals": referrals.count,
        "answers": answers.count,
        "people": persons.count,
        "link_keys": links.count,
        "permissions": grants.count,
        "seconds": round(time.monotonic() - started, 1),
    }


@transaction.atomic
def generate_drafts(authors: list[User], per_author: int, *, seed: int = 7) -> dict[int, list[str]]:
    """Complete drafts ready to submit (every section done, answers, a person with a
    phone shared with earlier referrals, the author's object permissions), as
    tests/factories.py ReferralFactory makes them. Returns public ids by author id."""
    rng = random.Random(seed)
    version = CatalogueVersion.objects.current()
    child_indicators = [
        i for i in version.indicators.filter(active=True) if i.audience in ("child", "both")
    ]
    perms = list(
        Permission.objects.filter(
            content_type__app_label="referrals", codename__in=["view_referral", "change_referral"]
        ).values_list("pk", flat=True)
    )
    sections = ["danger", "subject", "network", "indicators", "consent", "concern", "referrer"]
    columns = [
        "id",
        "public_id",
        "status",
        "author_id",
        "organisation_id",
        "catalogue_version_id",
        "sections_completed",
        "immediate_danger",
        "is_urgent",
        "subject_type",
        "first_name",
        "last_name",
        "date_of_birth",
        "sex",
        "address_line_1",
        "town",
        "postcode",
        "family_told",
        "consent_given",
        "concern",
        "referrer_name",
        "referrer_email",
        "created_at",
        "updated_at",
    ]
    referrals = Copier(Referral, columns)
    answers = Copier(Answer, ["id", "referral_id", "indicator_id", "answer"])
    persons = Copier(Person, ["id", "referral_id", "role", "name", "phone"])
    grants = Copier(ReferralUserObjectPermission, ["permission_id", "user_id", "content_object_id"])
    rid, aid, pid = next_id(Referral), next_id(Answer), next_id(Person)
    now = timezone.now()
    made: dict[int, list[str]] = {}
    for author in authors:
        for n in range(per_author):
            public_id = uuid.uuid4()
            made.setdefault(author.pk, []).append(str(public_id))
            dob = (now - dt.timedelta(days=rng.randint(12 * 365, 17 * 365))).date()
            referrals.add(
                (
                    rid,
                    public_id,
                    Status.DRAFT,
                    author.pk,
                    author.organisation_id,
                    version.pk,
                    sections,
                    "no",
                    False,
                    "child",
                    "Benchdraft",
                    f"Testperson{rid}",
                    dob,
                    "Female",
                    f"{n % 300 + 1} Benchmark Street",
                    "Benchtown",
                    POSTCODES[n % len(POSTCODES)],
                    "yes",
                    "yes",
                    "Bench concern text.",
                    author.full_name,
                    author.email,
                    now,
                    now,
                )
            )
            for indicator in child_indicators:
                answers.add((aid, rid, indicator.pk, "yes" if rng.random() < 0.3 else "no"))
                aid += 1
            phone = f"+4477009{rng.randrange(LINE_NUMBERS):05d}"
            persons.add((pid, rid, "suspected_exploiter", "Bench Olderperson", phone))
            pid += 1
            for perm in perms:
                grants.add((perm, author.pk, rid))
            rid += 1
    for copier in (referrals, answers, persons, grants):
        copier.flush()
    for model in (Referral, Answer, Person, ReferralUserObjectPermission):
        reset_sequence(model)
    return made
