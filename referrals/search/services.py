"""The search itself: each term is an indexed look-up (a trigram GIN index on the
folded name and on link-key values, a b-tree on link keys, references and dates of
birth), never a scan of referrals."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from referrals import normalise
from referrals.audit import audit_record
from referrals.models import BreakGlassGrant, LinkKey, Person, Referral, Status
from referrals.notifications.outbox import outbox_break_glass
from referrals.permissions import referrals_visible_to

MAX_HITS = 50


@dataclass(frozen=True)
class Hit:
    reference: str
    initials: str
    age_band: str
    in_scope: bool  # False: listed only as "a record exists in another team's scope"
    public_id: str = ""  # out of scope: where to ask for break-glass access


def _folded_words(text: str) -> str:
    return " ".join(normalise.fold(w) for w in text.split() if normalise.fold(w))


def _name_matches(qs: QuerySet[Referral], text: str) -> QuerySet[Referral]:
    """Name and known-as names, tolerant of accents, case, hyphens, apostrophes and
    typos: pg_trgm word similarity against the folded name (`match_name`) and the
    folded known-as keys (LinkKey PERSON). SQLite (the demo) falls back to a
    containment test on the folded name."""
    words = _folded_words(text)
    if connection.vendor != "postgresql":
        return _name_contains(qs, words.split())
    # Both the words folded one by one ('zoe obrien') and run together ('zoeobrienlukasz'
    # for 'Zoe O Brien Lukasz'), since a name split differently is the same name.
    compact = normalise.fold(text)
    similar = Q(value__trigram_word_similar=words) | Q(value__trigram_word_similar=compact)
    # A subject with a date of birth has PERSON keys ('first|last|date') for their name
    # and each known-as name (links.person_keys), so one trigram look-up on the PERSON
    # keys finds both. A subject with only an approximate age has none: their name is
    # looked up on the referral, through a partial index over those referrals alone.
    # Searching every referral's name as well read the same names' trigrams twice
    # (bench/findings.md).
    by_key = LinkKey.objects.filter(similar, kind=LinkKey.Kind.PERSON).values_list(
        "referral_id", flat=True
    )
    undated = Referral.objects.filter(
        Q(match_name__trigram_word_similar=words) | Q(match_name__trigram_word_similar=compact),
        date_of_birth__isnull=True,
    ).values_list("pk", flat=True)
    # A UNION of indexed look-ups, not one OR: PostgreSQL cannot combine a GIN index
    # condition with an IN (subquery) under OR, and scanned every referral (8.4 s at
    # 1,000,000 referrals, docs/benchmarks.md).
    candidates = by_key.union(undated)
    return qs.filter(pk__in=candidates).annotate(
        rank=Greatest(
            TrigramWordSimilarity(words, "match_name"),
            TrigramWordSimilarity(compact, "match_name"),
        )
    )


def _name_contains(qs: QuerySet[Referral], words: list[str]) -> QuerySet[Referral]:
    """The demo's plain fallback (SQLite has no trigrams): every folded word typed is in
    the folded name, or in one PERSON key (a known-as name). Accents, case and hyphens
    are still forgiven; typos are not."""
    on_name, on_key = Q(), Q(kind=LinkKey.Kind.PERSON)
    for word in words:
        on_name &= Q(match_name__contains=word)
        on_key &= Q(value__contains=word)
    by_key = LinkKey.objects.filter(on_key).values("referral_id")
    return qs.filter(on_name | Q(pk__in=by_key)).annotate(rank=Value(1.0))


def _key_matches(qs: QuerySet[Referral], kind: str, value: str, prefix: bool = False):
    lookup = {"kind": kind, "value__startswith" if prefix else "value": value}
    return qs.filter(pk__in=LinkKey.objects.filter(**lookup).values("referral_id"))


def _age_range(qs, age_from, age_to, today: dt.date):
    if age_to is not None:
        qs = qs.filter(date_of_birth__gt=today.replace(year=today.year - age_to - 1))
    if age_from is not None:
        qs = qs.filter(date_of_birth__lte=today.replace(year=today.year - age_from))
    return qs


def _matches(terms: dict) -> QuerySet[Referral]:
    qs = Referral.objects.exclude(status=Status.DRAFT)
    text = (terms.get("q") or "").strip()
    if text:
        # References are written in capitals (Referral.format_reference): an exact match
        # on the unique index. `iexact` would compare UPPER(reference) and scan every
        # referral (0.5 to 0.9 s a search at 1,000,000 referrals).
        by_reference = Referral.objects.filter(reference=text.upper()).values("pk")
        # A reference is exact; anything else typed in the box is a name.
        found = by_reference.exists()
        qs = qs.filter(pk__in=by_reference) if found else _name_matches(qs, text)
    if terms.get("phone"):
        qs = _key_matches(qs, LinkKey.Kind.PHONE, terms["phone"])
    if terms.get("postcode"):
        qs = _key_matches(qs, LinkKey.Kind.ADDRESS, terms["postcode"] + "|", prefix=True)
    if terms.get("vehicle"):
        qs = _key_matches(qs, LinkKey.Kind.VEHICLE, terms["vehicle"])
    if terms.get("handle"):
        # Any platform: 'platform:handle' for each of the platforms, an indexed IN.
        values = [f"{p}:{terms['handle']}" for p in Person.HandlePlatform.values]
        qs = qs.filter(
            pk__in=LinkKey.objects.filter(kind=LinkKey.Kind.HANDLE, value__in=values).values(
                "referral_id"
            )
        )
    if terms.get("date_of_birth"):
        qs = qs.filter(date_of_birth=terms["date_of_birth"])
    if terms.get("age_from") is not None or terms.get("age_to") is not None:
        qs = _age_range(qs, terms.get("age_from"), terms.get("age_to"), timezone.localdate())
    order = ["-rank", "-submitted_at"] if "rank" in qs.query.annotations else ["-submitted_at"]
    return qs.order_by(*order)


def hits_queryset(terms: dict) -> QuerySet[Referral]:
    """The one query the search runs for `terms` (ranked, at most MAX_HITS rows): public
    so that tests/referrals/search/test_search_plans.py can EXPLAIN exactly this."""
    return _matches(terms).only(
        "reference",
        "first_name",
        "last_name",
        "date_of_birth",
        "approximate_age",
        "submitted_at",
        "status",
        "public_id",
    )[:MAX_HITS]


@transaction.atomic
def referral_search(
    *, user: User, terms: dict, audited_terms: dict, request: HttpRequest | None = None
) -> list[Hit]:
    """The ranked hits for `terms`, each shown as the searcher may see it, and one audit
    event (who, the terms, how many hits). Two queries whatever the number of hits."""
    rows = list(hits_queryset(terms))
    visible = (
        set(
            referrals_visible_to(user)
            .filter(pk__in=[r.pk for r in rows])
            .values_list("pk", flat=True)
        )
        if rows
        else set()
    )
    hits = [
        Hit(r.reference, r.initials, r.age_band, True)
        if r.pk in visible
        else Hit("", "", "", False, str(r.public_id))
        for r in rows
    ]
    audit_record(
        action="search.performed",
        actor=user,
        request=request,
        detail={"terms": audited_terms, "hits": len(hits)},
    )
    return hits


@transaction.atomic
def search_hit_open(
    *, user: User, referral: Referral, request: HttpRequest | None = None, to: str = "referral"
) -> None:
    """A hit opened from the results, audited; `to` is "referral" or (h20c) "person"
    when the hit was opened at its person record."""
    detail = {"from": "search"} if to == "referral" else {"from": "search", "to": to}
    audit_record(
        action="search.hit_opened",
        actor=user,
        request=request,
        referral=referral,
        detail=detail,
    )


class BreakGlassRefused(Exception):
    pass


@transaction.atomic
def referral_break_glass(
    *, user: User, referral: Referral, reason: str, request: HttpRequest | None = None
) -> BreakGlassGrant:
    """Open a referral outside the user's scope for settings.BREAK_GLASS_HOURS: refused
    without a reason; audited with the reason; the triage leads are told (content-free)."""
    reason = (reason or "").strip()
    if not reason:
        raise BreakGlassRefused("Enter why you need to open this record")
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=user,
        referral=referral,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    audit_record(
        action="search.break_glass",
        actor=user,
        request=request,
        referral=referral,
        obj=grant,
        detail={"reason": reason, "expires_at": grant.expires_at.isoformat()},
    )
    outbox_break_glass(referral, grant_id=grant.pk)
    return grant
