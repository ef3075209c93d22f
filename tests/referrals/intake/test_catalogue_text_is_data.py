"""A manager's wording and guidance for a warning sign reach practitioners as text:
never as markup, never as template code (crispy's HTML() used to compile them)."""

import pytest
from django.urls import reverse

from indicators.models import CatalogueVersion
from tests.auth import sign_in

PAYLOADS = [
    "<b id=x>bold</b>",
    "<img src=//attacker.example/x>",
    '<meta http-equiv=refresh content="0;url=//attacker.example">',
    "<style>@import url(//attacker.example/s.css)</style>",
    "{{ request.user.email }}",
    "{% debug %}",
    "{{7*7}}",
]
WORDING = "Seen with older people " + " ".join(PAYLOADS[:4])
GUIDANCE = "Ask the school " + " ".join(PAYLOADS[4:])

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_sign(client, manager):
    indicator = CatalogueVersion.objects.current().indicators.get(code="cl-10")
    sign_in(client, manager)
    data = {
        "wording": WORDING,
        "guidance": GUIDANCE,
        "audience": indicator.audience,
        "group": indicator.group,
        "order": indicator.order,
        "change_summary": "Testing hostile text",
        "active": "on",
    }
    assert client.post(reverse("indicator_edit", args=["cl-10"]), data).status_code == 302
    client.logout()


def test_the_warning_signs_step_shows_the_wording_and_guidance_as_typed(
    client, practitioner, hostile_sign
):
    sign_in(client, practitioner)
    draft_url = client.post(reverse("referral_create"))["Location"]
    public_id = draft_url.split("/drafts/")[1].split("/")[0]
    page = client.get(reverse("referral_section", args=[public_id, "indicators"]))
    html = page.content.decode()
    for payload in PAYLOADS:
        assert payload not in html or payload.startswith("{")  # markup is escaped
    assert "&lt;b id=x&gt;bold&lt;/b&gt;" in html
    assert "<img src=//attacker.example" not in html
    assert "<meta http-equiv=refresh" not in html
    assert "<style>@import" not in html
    # Template code is printed, not run: the literal braces are on the page.
    assert "{{ request.user.email }}" in html
    assert "{% debug %}" in html
    assert "{{7*7}}" in html
    assert "sql_queries" not in html  # what {% debug %} would print
