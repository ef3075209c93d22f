"""Rows of the permission matrix (tests/test_permission_matrix.py).

Each area has a module `rows_<area>.py` with `ROWS = [Row(...), ...]`: one row per URL
pattern (by its name, with namespace, e.g. "admin:index"), the request to make, and
the status each persona gets. A URL pattern without a row fails the suite.

Personas (the `World`): anonymous, author (the practitioner who wrote `world.referral`
and `world.draft`), colleague (practitioner, same organisation), other_practitioner
(practitioner, another organisation), triager, manager, admin (Administrator, staff),
partner (Partner role, a police organisation).
Objects out of a persona's scope answer 404; anonymous visitors are sent to sign in (302).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "author",
    "colleague",
    "other_practitioner",
    "triager",
    "manager",
    "admin",
    # h19b: a Partner (police) user, who sees only the requests to their agency.
    "partner",
)
PRACTITIONERS = ("author", "colleague", "other_practitioner")

OK = 200
NO_CONTENT = 204
REDIRECT = 302  # e.g. anonymous -> sign-in page, or a form's success redirect
NOT_FOUND = 404
NOT_ALLOWED = 405


def expect(default: int, *, anonymous: int = REDIRECT, **by_persona: int) -> dict[str, int]:
    """The status for each persona: `default` unless named (anonymous: sent to sign in)."""
    unknown = set(by_persona) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas: {unknown}")
    statuses = dict.fromkeys(PERSONAS, default)
    statuses["anonymous"] = anonymous
    statuses.update(by_persona)
    return statuses


def only(status: int = OK, *personas: str, otherwise: int = NOT_FOUND) -> dict[str, int]:
    """`status` for the given personas, 404 (deny by default) for the other signed-in ones."""
    return expect(otherwise, **dict.fromkeys(personas, status))


@dataclass(frozen=True)
class Row:
    name: str  # URL name with namespace, e.g. "referral_detail" or "admin:index"
    statuses: dict[str, int]
    kwargs: Callable | None = None  # world -> URL kwargs
    method: str = "get"
    data: Callable | None = None  # world -> POST data
    query: str = ""
    note: str = ""
    # Covers every pattern whose name starts with `name` (used for the Django admin).
    prefix: bool = field(default=False)

    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{'*' if self.prefix else ''}"
