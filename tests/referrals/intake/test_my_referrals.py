import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from referrals.models import Referral, Status
from tests.auth import sign_in
from tests.factories import ReferralFactory, submitted_referral
from tests.referral_journey import VALID, post_section, start_draft


def test_a_draft_left_half_way_is_resumed_the_next_day_with_every_answer_there(
    client, practitioner
):
    with time_machine.travel(dt.datetime(2026, 11, 3, 16, 0, tzinfo=dt.UTC), tick=False):
        sign_in(client, practitioner)
        draft = start_draft(client)
        post_section(client, draft, "danger")
        post_section(client, draft, "subject")
        later = post_section(client, draft, "network", button="later")
        assert later.status_code == 302 and later["Location"] == reverse("referral_mine")
        client.logout()
    with time_machine.travel(dt.datetime(2026, 11, 4, 9, 0, tzinfo=dt.UTC), tick=False):
        sign_in(client, practitioner)
        mine = client.get(reverse("referral_mine")).content.decode()
        assert reverse("referral_tasks", args=[draft.public_id]) in mine
        subject = client.get(
            reverse("referral_section", args=[draft.public_id, "subject"])
        ).content.decode()
        for key in ("first_name", "last_name", "known_as", "address_line_1", "school_or_placement"):
            assert VALID["subject"][key] in subject
        assert 'value="LS1 4AP"' in subject
        network = client.get(
            reverse("referral_section", args=[draft.public_id, "network"])
        ).content.decode()
        assert "Invented Olderperson" in network
        tasks = client.get(reverse("referral_tasks", args=[draft.public_id])).content.decode()
        assert tasks.count("Completed") == 2


def test_save_and_come_back_later_keeps_an_incomplete_section_without_completing_it(
    client, practitioner
):
    sign_in(client, practitioner)
    draft = start_draft(client)
    response = post_section(client, draft, "concern", {"concern": "Half written"}, button="later")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.concern == "Half written"
    assert "concern" not in draft.sections_completed


def test_drafts_are_visible_only_to_their_author(client, practitioner, colleague, triager):
    draft = ReferralFactory(author=practitioner)
    for other in (colleague, triager):
        sign_in(client, other)
        assert client.get(reverse("referral_tasks", args=[draft.public_id])).status_code == 404
        assert (
            client.get(reverse("referral_section", args=[draft.public_id, "subject"])).status_code
            == 404
        )


def test_my_referrals_lists_drafts_and_sent_referrals_with_the_outcome_the_referrer_may_see(
    client, practitioner
):
    draft = ReferralFactory(author=practitioner, first_name="Dana", last_name="Draftperson")
    sent = submitted_referral(author=practitioner, first_name="Sam", last_name="Sentperson")
    Referral.objects.filter(pk=sent.pk).update(
        status=Status.DECIDED,
        outcome="early_help",
        decision_rationale="INTERNAL RATIONALE",
        message_to_referrer="Early help will contact the family this week.",
    )
    sign_in(client, practitioner)
    page = client.get(reverse("referral_mine")).content.decode()
    assert sent.reference in page
    assert "SS" in page and "DD" in page
    assert "Early help will contact the family this week." in page
    assert "Early help" in page
    assert "INTERNAL RATIONALE" not in page
    assert str(draft.public_id) in page


def test_my_referrals_shows_no_one_elses_referrals(client, practitioner, other_practitioner):
    theirs = submitted_referral(author=other_practitioner)
    sign_in(client, practitioner)
    assert theirs.reference not in client.get(reverse("referral_mine")).content.decode()


def test_another_practitioner_gets_404_on_a_referral_they_did_not_write(
    client, practitioner, other_practitioner, colleague
):
    referral = submitted_referral(author=practitioner)
    for outsider in (other_practitioner, colleague):
        sign_in(client, outsider)
        assert client.get(reverse("referral_detail", args=[referral.reference])).status_code == 404
        assert (
            client.get(reverse("referral_confirmation", args=[referral.reference])).status_code
            == 404
        )


def test_the_author_reads_their_referral_with_the_indicator_wording_as_answered(
    client, practitioner
):
    referral = submitted_referral(author=practitioner, yes_to=["cl-06"])
    sign_in(client, practitioner)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert "Unexplained money, phone(s), clothes or jewellery" in page
    assert referral.reference in page


def test_a_colleague_with_organisation_wide_view_sees_submitted_but_not_draft_referrals(
    client, practitioner, colleague
):
    colleague.organisation_wide_view = True
    colleague.save()
    sent = submitted_referral(author=practitioner)
    draft = ReferralFactory(author=practitioner)
    sign_in(client, colleague)
    assert client.get(reverse("referral_detail", args=[sent.reference])).status_code == 200
    assert client.get(reverse("referral_tasks", args=[draft.public_id])).status_code == 404


def test_drafts_unsubmitted_for_30_days_are_deleted_by_the_scheduled_task(practitioner):
    from referrals.tasks import drafts_expire

    with time_machine.travel(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        old = ReferralFactory(author=practitioner)
    with time_machine.travel(dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        recent = ReferralFactory(author=practitioner)
        sent = submitted_referral(author=practitioner)
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        assert drafts_expire.delay().get() == 1
    assert not Referral.objects.filter(pk=old.pk).exists()
    assert Referral.objects.filter(pk__in=[recent.pk, sent.pk]).count() == 2


def test_a_practitioner_deletes_their_own_draft(client, practitioner):
    draft = ReferralFactory(author=practitioner)
    sign_in(client, practitioner)
    response = client.post(reverse("referral_discard", args=[draft.public_id]))
    assert response.status_code == 302
    assert not Referral.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    "section", ["danger", "subject", "network", "indicators", "consent", "concern", "referrer"]
)
def test_form_pages_use_the_same_number_of_queries_however_many_referrals_exist(
    client, practitioner, section
):
    sign_in(client, practitioner)
    draft = start_draft(client)
    url = reverse("referral_section", args=[draft.public_id, section])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        submitted_referral(author=practitioner, people=[{"name": "A"}, {"name": "B"}])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_my_referrals_uses_the_same_number_of_queries_however_many_referrals_exist(
    client, practitioner
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, practitioner)
    submitted_referral(author=practitioner)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("referral_mine"))
    for _ in range(8):
        submitted_referral(author=practitioner)
        ReferralFactory(author=practitioner)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("referral_mine"))
    assert len(many) == len(few)


def test_the_referral_page_uses_the_same_number_of_queries_however_many_answers_and_people(
    client, practitioner
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = submitted_referral(author=practitioner, yes_to=["cl-01"])
    big = submitted_referral(
        author=practitioner,
        yes_to=["cl-01", "cl-02", "cl-03"],
        people=[{"name": f"Invented {i}"} for i in range(6)],
    )
    sign_in(client, practitioner)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("referral_detail", args=[small.reference]))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("referral_detail", args=[big.reference]))
    assert len(many) == len(few)


def _queries_for_my_referrals(client, page=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {"page": page} if page else {}
    client.get(reverse("referral_mine"), params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("referral_mine"), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_sent_referrals_come_fifty_to_a_page_at_the_same_number_of_queries(client, practitioner):
    from referrals.intake.presenters import SENT_PAGE_SIZE

    sign_in(client, practitioner)
    first = submitted_referral(author=practitioner)
    few = _queries_for_my_referrals(client)
    sent = [first] + [submitted_referral(author=practitioner) for _ in range(SENT_PAGE_SIZE)]
    many = _queries_for_my_referrals(client)
    assert few == many
    page_one = client.get(reverse("referral_mine")).content.decode()
    page_two = client.get(reverse("referral_mine"), {"page": 2}).content.decode()
    listed = [r.reference for r in sent if r.reference in page_one]
    assert len(listed) == SENT_PAGE_SIZE and "Page 1 of 2" in page_one
    assert [r.reference for r in sent if r.reference in page_two] == [first.reference]


@pytest.mark.django_db
def test_my_referrals_are_found_through_the_authors_permissions_not_by_reading_every_referral(
    practitioner,
):
    # guardian's own query ORs two permission subqueries, which PostgreSQL can only
    # answer by reading every referral (0.5 to 3 s a page at 1,000,000; issue 17).
    from django.db import connection

    from referrals import permissions
    from referrals.models import Status
    from tests.services import require_postgres

    require_postgres()
    for _ in range(3):
        submitted_referral(author=practitioner)
    mine = permissions.referrals_authored_by(practitioner)
    assert mine.exclude(status=Status.DRAFT).count() == 3
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        drafts = mine.filter(status=Status.DRAFT).order_by("-updated_at")
        sent = mine.exclude(status=Status.DRAFT).order_by("-updated_at", "-pk")[:50]
        for query in (drafts, sent):
            plan = query.explain()
            assert "Seq Scan on referrals_referral" not in plan, plan
            assert "Filter: ((hashed SubPlan" not in plan, plan


@pytest.mark.django_db
def test_what_a_practitioner_may_read_is_found_through_their_permissions_not_every_referral(
    practitioner, social_care
):
    # The list of what a practitioner may read (the search narrows its hits with it)
    # is the same UNION of the permission tables, not guardian's OR of subqueries.
    from django.contrib.auth.models import Group
    from django.db import connection
    from guardian.shortcuts import assign_perm

    from referrals import permissions
    from tests.services import require_postgres

    require_postgres()
    own = [submitted_referral(author=practitioner) for _ in range(2)]
    shared = submitted_referral()
    team = Group.objects.create(name="Test team Ærøskøbing")
    team.user_set.add(practitioner)
    assign_perm("referrals.view_referral", team, shared)
    submitted_referral()  # someone else's, out of scope
    visible = permissions.referrals_visible_to(practitioner)
    assert set(visible.values_list("pk", flat=True)) == {r.pk for r in [*own, shared]}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = visible.order_by("-submitted_at")[:50].explain()
        assert "Seq Scan on referrals_referral" not in plan, plan
        assert "hashed SubPlan" not in plan, plan
