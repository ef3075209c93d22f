"""The network behind a referral or a person (issue 20): the phones, addresses, vehicles,
people (and any other `LinkKey` kind) it shares with other referrals, up to two steps
away, and the managers' MACE list of identifiers shared by three or more referrals.

County lines are networks: the same line number, cuckooed flat or car turns up across
many children. A shared value is a prompt to check, not a finding.

The graph is bounded (MAX_NODES, with a count of what was left out) and built with one
query per step whatever its size: each step asks for every referral holding any value
of the frontier, one `value IN (subquery)` per kind, never a query per node."""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.utils import timezone

from referrals.models import LinkKey, Referral, Status

MAX_NODES = 200
STEPS = 2
# Rows read per step: a value shared by thousands of referrals reads its newest ones.
ROW_LIMIT = 5000

# Colours (GOV.UK palette) and shapes per kind of node; the shape and the table
# carry the meaning too, so colour is never the only cue (WCAG 1.4.1).
REFERRAL = "referral"
COLOURS = {
    REFERRAL: "#1d70b8",
    LinkKey.Kind.PHONE: "#d4351c",
    LinkKey.Kind.ADDRESS: "#00703c",
    LinkKey.Kind.VEHICLE: "#4c2c92",
    LinkKey.Kind.PERSON: "#f47738",
}
OTHER_COLOUR = "#505a5f"


@dataclass
class Node:
    key: str  # "r<pk>" for a referral, "k<kind>:<value>" for an identifier
    kind: str
    label: str
    step: int
    since: dt.datetime | None = None
    reference: str = ""
    x: float = 0.0
    y: float = 0.0

    @property
    def kind_label(self) -> str:
        return "Referral" if self.kind == REFERRAL else _kind_label(self.kind)

    @property
    def is_referral(self) -> bool:
        return self.kind == REFERRAL

    @property
    def colour(self) -> str:
        return COLOURS.get(self.kind, OTHER_COLOUR)

    @property
    def square_x(self) -> float:
        return self.x - 7

    @property
    def square_y(self) -> float:
        return self.y - 7


@dataclass
class Edge:
    referral: Node
    identifier: Node
    since: dt.datetime

    @property
    def shared(self) -> str:
        # A person's key has no value to show: its label says what is shared.
        if self.identifier.label == self.identifier.kind_label:
            return self.identifier.label
        return f"{self.identifier.kind_label} {self.identifier.label}"


@dataclass
class Network:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    left_out: int = 0
    # True when a step read ROW_LIMIT rows, so `left_out` is a lower bound.
    left_out_at_least: bool = False
    width: int = 800
    height: int = 800

    @property
    def referrals(self) -> list[Node]:
        return [n for n in self.nodes if n.is_referral]

    @property
    def identifiers(self) -> list[Node]:
        return [n for n in self.nodes if not n.is_referral]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _kind_label(kind: str) -> str:
    try:
        return LinkKey.Kind(kind).label
    except ValueError:
        return kind.replace("_", " ").capitalize()


def _sharers(frontier: set[int]) -> list[tuple]:
    """(kind, value, display, referral id, reference, submitted at) of every submitted
    referral holding a value that one of `frontier` holds, newest first. Two queries:
    the frontier's values, then every holder of them.

    The values are fetched first and passed as literals, one `kind = k AND value = ANY
    (...)` per kind, so each branch of the OR is an index scan on (kind, value). As one
    query with `value IN (subquery)` under OR, PostgreSQL could use no index and walked
    every referral newest first looking for holders (3.7 s for a busy line at 1,000,000
    referrals, bench/findings.md)."""
    if not frontier:
        return []
    values: dict[str, set[str]] = {}
    # Every kind the frontier holds, so that a kind added later (say, online handles)
    # links too.
    for kind, value in LinkKey.objects.filter(referral_id__in=frontier).values_list(
        "kind", "value"
    ):
        values.setdefault(kind, set()).add(value)
    if not values:
        return []
    query = Q(
        *[Q(kind=kind, value__in=sorted(held)) for kind, held in sorted(values.items())],
        _connector=Q.OR,
    )
    return list(
        LinkKey.objects.filter(query)
        .exclude(referral__status=Status.DRAFT)
        .order_by("-referral__submitted_at", "-referral_id")
        .values_list(
            "kind",
            "value",
            "display",
            "referral_id",
            "referral__reference",
            "referral__submitted_at",
        )[:ROW_LIMIT]
    )


class _Builder:
    def __init__(self, max_nodes: int):
        self.max_nodes = max_nodes
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str], Edge] = {}
        self.left_out: set[str] = set()
        self.at_least = False

    def add(self, node: Node) -> Node | None:
        if node.key in self.nodes:
            return self.nodes[node.key]
        if len(self.nodes) >= self.max_nodes:
            self.left_out.add(node.key)
            return None
        self.nodes[node.key] = node
        return node

    def step(self, frontier: set[int], step: int) -> set[int]:
        """Add the identifiers `frontier` shares with other referrals, then those
        referrals; return the referrals added (the next frontier)."""
        rows = _sharers(frontier)
        self.at_least |= len(rows) >= ROW_LIMIT
        by_value: dict[tuple[str, str], list[tuple]] = {}
        for row in rows:
            by_value.setdefault((row[0], row[1]), []).append(row)
        shared = {k: v for k, v in by_value.items() if len({r[3] for r in v}) > 1}
        identifiers = {}
        for (kind, value), holders in shared.items():
            node = self.add(
                Node(f"k{kind}:{value}", kind, holders[-1][2] or value, step, holders[-1][5])
            )
            if node is not None:
                node.since = min(node.since or holders[-1][5], holders[-1][5])
                identifiers[(kind, value)] = (node, holders)
        added: set[int] = set()
        for node, holders in identifiers.values():
            for _, _, _, referral_id, reference, submitted_at in holders:
                key = f"r{referral_id}"
                new = key not in self.nodes
                ref_node = self.add(Node(key, REFERRAL, reference, step, submitted_at, reference))
                if ref_node is None:
                    continue
                if new:
                    added.add(referral_id)
                self.edges.setdefault((key, node.key), Edge(ref_node, node, submitted_at))
        return added

    def network(self) -> Network:
        network = Network(
            nodes=list(self.nodes.values()),
            # Nearest first, then oldest: the table reads out from the start.
            edges=sorted(self.edges.values(), key=lambda e: (e.referral.step, e.since)),
            left_out=len(self.left_out - set(self.nodes)),
            left_out_at_least=self.at_least,
        )
        _lay_out(network)
        return network


def network_for(referrals: list[Referral], *, max_nodes: int = MAX_NODES) -> Network:
    """The network around `referrals` (one referral, or a person record's), to STEPS
    steps: two queries a step at most, whatever the number of nodes."""
    builder = _Builder(max_nodes)
    frontier = set()
    for referral in referrals:
        builder.add(
            Node(
                f"r{referral.pk}",
                REFERRAL,
                referral.reference,
                0,
                referral.submitted_at,
                referral.reference,
            )
        )
        frontier.add(referral.pk)
    for step in range(1, STEPS + 1):
        if step > 1 and builder.left_out:
            # Full: a further step could only add nodes that would be left out (every
            # edge to a node shown was added with it), so it is not read, and what lies
            # beyond is not counted.
            builder.at_least = True
            break
        frontier = builder.step(frontier, step)
    return builder.network()


RINGS = {(0, True): 0, (1, False): 120, (1, True): 210, (2, False): 290, (2, True): 370}


def _lay_out(network: Network) -> None:
    """Concentric rings: the start in the middle, each step's identifiers and then its
    referrals further out, evenly spaced round each ring."""
    centre_x, centre_y = network.width / 2, network.height / 2
    rings: dict[int, list[Node]] = {}
    for node in network.nodes:
        rings.setdefault(RINGS.get((node.step, node.is_referral), 370), []).append(node)
    for radius, members in rings.items():
        radius = radius or (40 if len(members) > 1 else 0)
        for i, node in enumerate(members):
            angle = 2 * math.pi * i / len(members) + radius / 100
            node.x = round(centre_x + radius * math.cos(angle), 1)
            node.y = round(centre_y + radius * math.sin(angle), 1)


# --- The MACE list

MACE_DAYS = 90
MACE_MINIMUM = 3
MACE_LIMIT = 500
MACE_LABELS = {
    LinkKey.Kind.PHONE: "Likely line number",
    LinkKey.Kind.ADDRESS: "Possible cuckooed address",
    LinkKey.Kind.VEHICLE: "Vehicle",
}


@dataclass(frozen=True)
class MaceEntry:
    kind: str
    label: str
    display: str
    count: int
    references: list[str]
    first_seen: dt.datetime
    last_seen: dt.datetime


def mace_list(
    *, end: dt.datetime | None = None, days: int = MACE_DAYS, minimum: int = MACE_MINIMUM
) -> list[MaceEntry]:
    """Identifiers (every kind but the person's own name) shared by `minimum` or more
    referrals received in the `days` before `end`, most shared first. One query, with
    the number sharing each value counted by a window (a referral holds a value once:
    the `link_key_once` constraint), whether or not anything is shared."""
    end = end or timezone.now()
    rows = (
        LinkKey.objects.filter(
            referral__submitted_at__gte=end - dt.timedelta(days=days),
            referral__submitted_at__lt=end,
        )
        .exclude(kind=LinkKey.Kind.PERSON)
        .exclude(referral__status=Status.DRAFT)
        .annotate(sharing=Window(Count("pk"), partition_by=[F("kind"), F("value")]))
        .filter(sharing__gte=minimum)
        .values_list(
            "kind", "value", "display", "referral__reference", "referral__submitted_at", "sharing"
        )
    )
    found: dict[tuple[str, str], list] = {}
    for kind, value, display, reference, submitted_at, _ in rows:
        found.setdefault((kind, value), []).append((submitted_at, reference, display))
    entries = []
    for (kind, _), reports in found.items():
        reports.sort()
        entries.append(
            MaceEntry(
                kind=kind,
                label=MACE_LABELS.get(kind, _kind_label(kind)),
                display=reports[-1][2],
                count=len(reports),
                references=[reference for _, reference, _ in reports],
                first_seen=reports[0][0],
                last_seen=reports[-1][0],
            )
        )
    entries.sort(key=lambda e: (-e.count, e.kind, e.display))
    return entries[:MACE_LIMIT]


def mace_figures(end: dt.datetime) -> list[dict]:
    """The MACE list as the monthly summary keeps it (JSON): counts and references
    only, never the phone number, address or registration itself."""
    return [
        {"label": e.label, "count": e.count, "references": e.references} for e in mace_list(end=end)
    ]
