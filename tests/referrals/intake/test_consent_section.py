"""The consent section's answers are kept as given: "Not applicable" to the
source-anonymity question is an answer, not "Not given" (issue #14)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from referrals.models import SourceAnonymity
from tests.auth import sign_in
from tests.referral_journey import VALID, post_section, start_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in(client, practitioner)


@pytest.mark.parametrize(
    ("answer", "shown"),
    [("yes", "Yes"), ("no", "No"), ("na", "Not applicable")],
)
def test_each_source_anonymity_answer_is_stored_shown_and_offered_again(signed_in, answer, shown):
    draft = start_draft(signed_in)
    data = {**VALID["consent"], "source_wants_anonymity": answer}
    assert post_section(signed_in, draft, "consent", data).status_code == 302
    draft.refresh_from_db()
    assert draft.source_wants_anonymity == SourceAnonymity(answer)
    check = signed_in.get(reverse("referral_check", args=[draft.public_id])).content.decode()
    row = check[check.index("Source wants anonymity") :].split("</div>")[0]
    assert shown in row and "Not given" not in row
    again = signed_in.get(reverse("referral_section", args=[draft.public_id, "consent"]))
    radios = [
        tag.split(">")[0]
        for tag in again.content.decode().split("<input")
        if 'name="source_wants_anonymity"' in tag.split(">")[0]
    ]
    assert [f'value="{answer}"' in radio for radio in radios if "checked" in radio] == [True]


def test_no_answer_to_source_anonymity_is_not_given(signed_in):
    draft = start_draft(signed_in)
    assert post_section(signed_in, draft, "consent").status_code == 302
    draft.refresh_from_db()
    assert draft.source_wants_anonymity == ""
    check = signed_in.get(reverse("referral_check", args=[draft.public_id])).content.decode()
    assert "Not given" in check[check.index("Source wants anonymity") :].split("</div>")[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_earlier_yes_and_no_answers(practitioner):
    executor = MigrationExecutor(connection)
    before = [("referrals", "0009_person_phone_without_help_text")]
    after = [("referrals", "0010_source_anonymity_as_choices")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("referrals", "Referral")
    fields = {
        "author_id": practitioner.pk,
        "organisation_id": practitioner.organisation_id,
        "catalogue_version_id": _catalogue_version_id(),
    }
    ids = {
        value: old.objects.create(source_wants_anonymity=value, **fields).pk
        for value in (True, False, None)
    }
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("referrals", "Referral")
    stored = dict(
        new.objects.filter(pk__in=ids.values()).values_list("pk", "source_wants_anonymity")
    )
    assert {value: stored[pk] for value, pk in ids.items()} == {True: "yes", False: "no", None: ""}
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _catalogue_version_id() -> int:
    from indicators.models import CatalogueVersion

    return CatalogueVersion.objects.current().pk
