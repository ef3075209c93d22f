"""The permission matrix (issue 4, docs/security.md "Access control"): every URL pattern
of the project, for every persona (anonymous, the author, a colleague in the same
organisation, a practitioner of another organisation, triage, manager, administrator),
answers the status its row in tests/permission_matrix/rows_*.py says. A URL pattern
without a row fails the suite, so a new page cannot ship without deciding who may use it.
"""

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cached_property

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.permission_matrix as matrix_package
from referrals.models import Section
from tests.auth import sign_in
from tests.factories import ReferralFactory, submitted_referral
from tests.permission_matrix.base import PERSONAS, Row


def all_rows() -> list[Row]:
    rows = []
    for module in pkgutil.iter_modules(matrix_package.__path__):
        if module.name.startswith("rows_"):
            rows += importlib.import_module(f"{matrix_package.__name__}.{module.name}").ROWS
    return rows


def url_pattern_names(resolver=None, namespace="", route=""):
    """(name with namespace, route) of every URL pattern, includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_pattern_names(entry, inner, route + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            # Unnamed patterns inside a namespace (the admin's catch-alls) belong to it.
            name = f"{namespace}{entry.name or '(unnamed)'}" if namespace or entry.name else ""
            yield name, route + str(entry.pattern)


ROWS = all_rows()


def covered(name: str) -> bool:
    return any(r.name == name or (r.prefix and name.startswith(r.name)) for r in ROWS)


def test_every_url_pattern_has_a_row_in_the_matrix():
    missing = sorted(
        f"{name or '(unnamed)'}  {route}"
        for name, route in url_pattern_names()
        if not name or not covered(name)
    )
    assert not missing, "URL patterns without a permission-matrix row:\n" + "\n".join(missing)


def test_every_row_names_a_real_url_pattern():
    names = {name for name, _ in url_pattern_names()}
    stale = [
        r.id()
        for r in ROWS
        if not (r.name in names or (r.prefix and any(n.startswith(r.name) for n in names)))
    ]
    assert not stale, f"rows for URL names that do not exist: {stale}"


@dataclass
class World:
    """The personas and the objects the rows ask for."""

    author: object
    colleague: object
    other_practitioner: object
    triager: object
    manager: object
    admin: object
    partner: object

    @cached_property
    def referral(self):
        return submitted_referral(author=self.author)

    @cached_property
    def draft(self):
        return ReferralFactory(author=self.author)

    @property
    def first_section(self) -> str:
        return Section.values[0]

    @property
    def indicator_code(self) -> str:
        from indicators.models import CatalogueVersion

        return CatalogueVersion.objects.current().indicators.order_by("code").first().code

    def export_ready(self):
        """A finished PDF export of `referral`, asked for by its author."""
        from django.core.files.base import ContentFile

        from referrals.models import Export
        from referrals.models.exports import ExportState

        export = Export.objects.create(
            referral=self.referral, requested_by=self.author, state=ExportState.READY
        )
        export.file.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
        return export

    def summary_ready(self) -> str:
        """A finished monthly summary; its month as the URLs spell it."""
        import datetime as dt

        from django.core.files.base import ContentFile

        from referrals.exports.figures import monthly_figures
        from referrals.models import MonthlySummary
        from referrals.models.exports import ExportState

        month = dt.date(2026, 10, 1)
        summary, _ = MonthlySummary.objects.get_or_create(
            month=month,
            defaults={"state": ExportState.READY, "figures": monthly_figures(month)},
        )
        if not summary.pdf:
            summary.pdf.save("matrix-summary.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
        return "2026-10"

    def notification_for(self, persona: str):
        from referrals.models import Notification

        user = getattr(self, persona)
        return Notification.objects.create(
            kind=Notification.Kind.NEW_REFERRAL,
            referral=self.referral,
            recipient=user,
            recipient_email=user.email,
            dedup_key=f"matrix-{persona}-{self.referral.pk}",
            state=Notification.State.PORTAL,
        )

    def failed_notification(self):
        from referrals.models import Notification

        return Notification.objects.create(
            kind=Notification.Kind.NEW_REFERRAL,
            referral=self.referral,
            recipient_email="intake@example.org",
            dedup_key=f"matrix-failed-{self.referral.pk}",
            state=Notification.State.FAILED,
        )

    def account_request(self):
        from tests.factories.accounts import AccountRequestFactory

        return AccountRequestFactory(organisation=self.author.organisation)

    def allowed_domain(self):
        from accounts.models import AllowedEmailDomain

        return AllowedEmailDomain.objects.create(domain=".matrix.example")

    def persona(self, name: str):
        return None if name == "anonymous" else getattr(self, name)


@pytest.fixture
def world(practitioner, colleague, other_practitioner, triager, manager, admin, partner):
    return World(practitioner, colleague, other_practitioner, triager, manager, admin, partner)


def url_for(row: Row, world: World) -> str:
    name = "admin:index" if row.prefix and row.name == "admin:" else row.name
    kwargs = row.kwargs(world) if row.kwargs else {}
    return reverse(name, kwargs=kwargs) + (f"?{row.query}" if row.query else "")


CASES = [
    pytest.param(row, persona, id=f"{row.id()}-{persona}") for row in ROWS for persona in PERSONAS
]


@pytest.mark.parametrize("row,persona", CASES)
def test_each_persona_gets_the_status_its_row_says(client, world, row, persona):
    user = world.persona(persona)
    url = url_for(row, world)
    if user is not None:
        sign_in(client, user)
    data = row.data(world) if row.data else {}
    response = getattr(client, row.method)(url, data) if row.method == "post" else client.get(url)
    expected = row.statuses[persona]
    assert response.status_code == expected, (
        f"{row.method.upper()} {url} as {persona}: {response.status_code}, expected {expected}"
        + (f" ({row.note})" if row.note else "")
    )
    if persona == "anonymous" and expected == 302 and row.name != "logout":
        assert "/accounts/login/" in response["Location"] or "/admin/login/" in response["Location"]
