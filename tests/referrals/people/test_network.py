"""The network around a referral: what it shares with others to two steps, bounded at
200 nodes with a count of what was left out, and built with a fixed number of queries
however large it grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from referrals import network
from referrals.models import LinkKey
from tests.factories import submitted_referral
from tests.referrals.people.helpers import bulk_sharing

LINE = [{"phone": "+447700900123", "role": "suspected_exploiter"}]


@pytest.mark.django_db
def test_two_steps_out_through_a_phone_then_an_address():
    start = submitted_referral(people=LINE)
    step_one = submitted_referral(
        people=[*LINE, {"role": "other", "address": "12 Imaginary Road", "postcode": "LS1 4AP"}]
    )
    step_two = submitted_referral(
        people=[{"role": "other", "address": "12, Imaginary Road", "postcode": "LS14AP"}]
    )
    unrelated = submitted_referral(people=[{"phone": "07700 900999", "role": "peer"}])
    graph = network.network_for([start])
    steps = {node.reference: node.step for node in graph.referrals}
    assert steps == {start.reference: 0, step_one.reference: 1, step_two.reference: 2}
    assert unrelated.reference not in steps
    shared = {(edge.referral.label, edge.shared) for edge in graph.edges}
    assert (step_one.reference, "Phone number 07700 900123") in shared
    assert any(ref == step_two.reference and what.startswith("Address") for ref, what in shared)
    assert all(edge.since for edge in graph.edges)


@pytest.mark.django_db
def test_a_line_shared_by_more_than_200_referrals_is_cut_to_200_with_a_count(practitioner):
    start = submitted_referral(author=practitioner, people=LINE)
    bulk_sharing(practitioner, 250)
    graph = network.network_for([start])
    assert len(graph.nodes) == network.MAX_NODES
    # 251 referrals and the phone number: 252 nodes found, 200 shown.
    assert graph.left_out == 252 - network.MAX_NODES
    keys = {node.key for node in graph.nodes}
    assert all(edge.referral.key in keys and edge.identifier.key in keys for edge in graph.edges)


def _queries(start) -> int:
    with CaptureQueriesContext(connection) as captured:
        network.network_for([start])
    return len(captured)


@pytest.mark.django_db
def test_the_query_count_stays_the_same_as_the_network_grows(practitioner):
    start = submitted_referral(author=practitioner, people=LINE)
    bulk_sharing(practitioner, 5)
    small = _queries(start)
    bulk_sharing(practitioner, 140, start=100)
    assert _queries(start) == small <= 2 * network.STEPS
    # Past 200 nodes the second step is not read at all: never more queries.
    bulk_sharing(practitioner, 300, start=1000)
    assert _queries(start) <= small


@pytest.mark.django_db
def test_a_kind_added_later_links_like_the_others(practitioner):
    """An identifier kind that is not one of today's (say, online handles) is followed
    the same way, with no change here."""
    start = submitted_referral(author=practitioner)
    other = submitted_referral(author=practitioner)
    LinkKey.objects.bulk_create(
        [
            LinkKey(referral=r, kind="handle", value="snap|zedtest", display="zedtest")
            for r in (start, other)
        ]
    )
    graph = network.network_for([start])
    assert other.reference in {n.reference for n in graph.referrals}
    assert any(n.kind == "handle" for n in graph.identifiers)


@pytest.mark.django_db
def test_the_svg_has_no_inline_style_or_script(client, triager):
    from django.urls import reverse

    from tests.auth import sign_in

    start = submitted_referral(people=LINE)
    submitted_referral(people=LINE)
    sign_in(client, triager)
    page = client.get(reverse("referral_network", args=[start.reference])).content.decode()
    svg = page.split("<svg")[1].split("</svg>")[0]
    assert "style=" not in svg and "<script" not in svg and "<circle" in svg
