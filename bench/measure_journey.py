"""One referral submitted end to end, in-process: the practitioner's form (the start,
every section, check answers: each POST a browser makes, without the GETs between
them) beside the partner API's single POST of a referral with the same content
(issue 22: "API submission at least as fast as the form's submission in the same
run"). The wrk lines compare the API's POST with the form's last POST alone, whose
draft was written in bulk beforehand; this line compares the whole of each.

Through Django's test client outside the test runner, so no template instrumentation
(bench/profile.py explains why that matters): the same handler, middleware and views
as under gunicorn, minus the HTTP parsing. CPU per referral is the process's own
(time.process_time), the database server's not included, for both. Mixed into
bench.run.Run."""

import itertools
import json
import time

from bench import load
from bench.report import Row, ms, scale_label, verdict

ROUNDS = 20


class JourneyMeasurements:
    def _journey(self, n: int, practitioners) -> None:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from bench.measure_web import api_referral_body
        from referrals.models import ApiClient, Referral
        from tests.referral_journey import VALID

        print("Whole submission, form and API, in-process ...", flush=True)
        author = practitioners[0]
        api = ApiClient(
            name="Bench MIS (journey)",
            organisation=author.organisation,
            accountable_person=author,
            scopes=[ApiClient.Scope.SUBMIT],
        )
        token = api.new_token()
        api.save()
        browser = Client(HTTP_HOST="127.0.0.1")
        browser.force_login(author)
        partner = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")

        def by_form(i: int) -> None:
            started = browser.post("/referrals/new/")
            assert started.status_code == 302, started.status_code
            draft = Referral.objects.filter(author=author).order_by("-pk").only("public_id")[0]
            base = f"/referrals/drafts/{draft.public_id}"
            for section, data in VALID.items():
                data = {**data, "continue": ""}
                if section == "subject":
                    data["last_name"] = f"Journeyson{i}"
                page = browser.post(f"{base}/{section}/", data)
                assert page.status_code == 302, (section, page.status_code)
            done = browser.post(f"{base}/check/")
            assert done.status_code == 302, done.status_code

        def by_api(i: int) -> None:
            body = json.dumps(api_referral_body(i))
            response = partner.post("/api/v1/referrals/", body, content_type="application/json")
            assert response.status_code == 201, response.content[:300]

        counter = itertools.count()
        by_form(next(counter))  # warm both
        by_api(next(counter))
        cpu = {"form": [], "api": []}
        for _ in range(ROUNDS):  # interleaved, so both see the same machine
            for name, submit in (("form", by_form), ("api", by_api)):
                began = time.process_time()
                submit(next(counter))
                cpu[name].append(time.process_time() - began)
        queries = {}
        for name, submit in (("form", by_form), ("api", by_api)):
            with CaptureQueriesContext(connection) as captured:
                submit(next(counter))
            queries[name] = len(captured)
        self._purge_broker()
        form, api_cpu = load.median(cpu["form"]), load.median(cpu["api"])
        self.report.add(
            Row(
                "Whole submission of one referral: API POST beside the form's every step",
                scale_label(n),
                f"API {ms(api_cpu)} ms CPU, {queries['api']} queries",
                f"form: {ms(form)} ms CPU, {queries['form']} queries, {len(VALID) + 2} POSTs",
                "API at least as fast as the form",
                verdict(api_cpu <= form),
                notes=f"median of {ROUNDS} referrals each way, interleaved, in-process "
                "(Django's handler through the test client, no template instrumentation); "
                "CPU of this process per referral, the database server's not included",
            )
        )
