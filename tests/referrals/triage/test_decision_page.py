"""Issue 16: the decision page shows what is being decided, beside the outcome choices:
the warning signs answered yes (as worded when answered) and the concern; and every
triage form's button sits in a GOV.UK button group."""

import re

import pytest
from django.urls import reverse

from tests.auth import sign_in
from tests.factories.triage import claimed_referral

pytestmark = pytest.mark.django_db


def _aside(page: str) -> str:
    match = re.search(r'<aside class="govuk-grid-column-one-third"[^>]*>(.*?)</aside>', page, re.S)
    assert match, "no aside beside the form"
    return match.group(1)


def test_the_decision_page_shows_the_warning_signs_answered_yes_and_the_concern(client, triager):
    referral = claimed_referral(
        triager, yes_to=["cl-01"], concern="Seen with <older> men & a new phone"
    )
    wording = referral.answers.get(indicator__code="cl-01").indicator.wording
    not_yes = [a.indicator.wording for a in referral.answers.exclude(answer="yes")]
    assert not_yes
    sign_in(client, triager)
    page = client.get(reverse("referral_decide", args=[referral.reference])).content.decode()
    aside = _aside(page)
    assert "What you are deciding on" in aside
    assert f"<li>{wording}</li>" in aside
    assert all(other not in aside for other in not_yes)
    assert "Seen with &lt;older&gt; men &amp; a new phone" in aside
    # Beside the outcome choices: the form and the aside are columns of one row.
    assert page.index('class="govuk-grid-column-two-thirds"') < page.index("Contact outcome")
    assert page.index("Contact outcome") < page.index("<aside")


def test_the_decision_page_keeps_showing_it_when_the_decision_has_errors(client, triager):
    referral = claimed_referral(triager, yes_to=["none"], concern="Invented concern")
    sign_in(client, triager)
    response = client.post(reverse("referral_decide", args=[referral.reference]), {"decide": ""})
    assert response.status_code == 200
    aside = _aside(response.content.decode())
    assert '<p class="govuk-body">None</p>' in aside
    assert "Invented concern" in aside


@pytest.mark.parametrize("name", ["referral_decide", "referral_note", "referral_message"])
def test_the_other_action_pages_show_no_aside_and_group_their_button(client, triager, name):
    referral = claimed_referral(triager)
    sign_in(client, triager)
    page = client.get(reverse(name, args=[referral.reference])).content.decode()
    assert ("<aside" in page) == (name == "referral_decide")
    assert re.search(r'<div\s+class="govuk-button-group"\s*>\s*<button', page)
