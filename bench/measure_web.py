"""The measurements made against gunicorn: the triage queue, the referral page, the
submission, and the query plans. Mixed into bench.run.Run, which provides the server,
the sessions and the report."""

import itertools
import random
import re
import threading

from bench import load
from bench.report import Row, http_result, scale_label, verdict


class WebMeasurements:
    # --- 0. the floor: the stack with no work ---

    def _floor(self, n: int, label: str, path: str) -> load.Result:
        """The same middleware, session and signed-in users as `path`, answering a fixed
        body of the same size (bench.views.floor): what the page costs before it does
        anything. Reported as its own line and beside the page's CPU per response."""
        size = self._page_bytes(self.triage[0], path)
        result = self._run("floor", self._rotating(self.triage, [f"/bench/floor/?bytes={size}"]))
        self.report.add(
            Row(
                f"Floor beside {label}",
                scale_label(n),
                http_result(result),
                "",
                "<= 3 ms app CPU",
                verdict(result.app_cpu_ms <= 3.0 and not result.errors),
                notes=f"every middleware, the session, user and two-factor device, "
                f"a fixed {size:,}-byte body (the size of {path})",
            )
        )
        return result

    # --- 1. the triage queue ---

    def _queue_variants(self) -> list[tuple[str, str]]:
        from django.db.models import Count

        from referrals.models import Referral

        busiest = (
            Referral.objects.values("organisation_id").annotate(n=Count("pk")).order_by("-n")
        ).first()["organisation_id"]
        return [
            ("default ordering", ""),
            ("filters: routine + child", "urgent=no&subject_type=child"),
            ("filters: closed + organisation", f"status=closed&organisation={busiest}"),
            # Decided referrals are ~40% of the table: the page must not sort them all.
            ("filter: decided", "status=decided"),
        ]

    def _queue(self, n: int) -> None:
        print(f"Triage queue at {n:,} referrals ...", flush=True)
        self.queue_sql = {}
        floor = self._floor(n, "the triage queue", "/triage/")
        for label, query in self._queue_variants():
            suffix = f"?{query}" if query else ""
            count, sql = self._queries(self.triage[0], f"/triage/{suffix}")
            self.queue_sql[label] = sql
            base_count, _ = self._queries(self.triage[0], f"/bench/baseline/queue/{suffix}")
            base = self._run(
                "baseline", self._rotating(self.triage, [f"/bench/baseline/queue/{suffix}"])
            )
            page = self._run("queue", self._rotating(self.triage, [f"/triage/{suffix}"]))
            share = page.rate / base.rate if base.rate else 0
            p99 = page.percentile(0.99) or 1e9
            ok = (
                page.rate >= 250
                and p99 < 0.050
                and count <= 10
                and share >= 0.7
                and not page.errors
            )
            self.report.add(
                Row(
                    f"Triage queue, {label}",
                    scale_label(n),
                    f"{http_result(page)}; {count} queries",
                    f"{http_result(base)}; {base_count} queries",
                    ">= 250 req/s, p99 < 50 ms, <= 10 queries, >= 70% of baseline",
                    verdict(ok),
                    notes=f"{share:.0%} of the baseline's throughput; app CPU "
                    f"{page.app_cpu_ms:.1f} ms against the floor's {floor.app_cpu_ms:.1f} ms "
                    f"and the baseline's {base.app_cpu_ms:.1f} ms",
                )
            )

    # --- 3. the referral page with its links ---

    def _detail(self, n: int) -> None:
        from referrals.models import Referral

        print("Referral page with links ...", flush=True)
        rng = random.Random(3)
        ids = list(
            Referral.objects.submitted()
            .filter(has_shared_phone=True)
            .values_list("pk", flat=True)[:200_000]
        )
        sample = rng.sample(ids, min(200, len(ids)))
        references = list(
            Referral.objects.filter(pk__in=sample).values_list("reference", flat=True)
        )
        from referrals import links

        link_counts = [
            len(links.links_for(Referral.objects.get(reference=r))) for r in references[:40]
        ]
        count, sql = self._queries(self.triage[0], f"/referrals/{references[0]}/")
        self.detail_sql = sql
        floor = self._floor(n, "the referral page", f"/referrals/{references[0]}/")
        base = self._run(
            "baseline",
            self._rotating(self.triage, [f"/bench/baseline/referral/{r}/" for r in references]),
        )
        page = self._run(
            "detail", self._rotating(self.triage, [f"/referrals/{r}/" for r in references])
        )
        p99 = page.percentile(0.99) or 1e9
        self.report.add(
            Row(
                "Referral page with its links (Triage)",
                scale_label(n),
                f"{http_result(page)}; {count} queries",
                f"{http_result(base)} (bare one-row page)",
                "p99 < 50 ms",
                verdict(p99 < 0.050 and not page.errors),
                notes=f"{len(references)} referrals that share a phone, "
                f"{load.median(link_counts):.0f} links each (median), "
                f"{max(link_counts)} at most; the first view of each writes a 'viewed' event; "
                f"app CPU {page.app_cpu_ms:.1f} ms against the floor's "
                f"{floor.app_cpu_ms:.1f} ms and the baseline's {base.app_cpu_ms:.1f} ms",
            )
        )
        self.sample_reference = references[0]
        self.detail_references = references

    # --- 4. the other pages people reach often (issue 17) ---

    def _pages(self, n: int, practitioners) -> None:
        """The layout around an empty page (what every full page pays over the floor), my
        work and notifications (Triage), my referrals (busy practitioners): each beside a
        floor of its size. Target <= 10 ms app CPU. (Reports need a Manager, whom bench_data does
        not make: measure /reports/ in-process with bench.profile.)"""
        from bench.sessions import Browser
        from bench.views import FLOOR_MAX_BYTES

        print("Other pages ...", flush=True)
        # Not the submission line's authors: it leaves them thousands of unsubmitted
        # drafts (this run's and earlier runs' on a reused database), which a real
        # practitioner does not have and which the page lists whole.
        clients = self.args.clients
        authors = [Browser(a) for a in practitioners[clients : 2 * clients]]
        for label, browsers, path in [
            ("Empty page in the full layout (Triage; no target)", self.triage, "/bench/layout/"),
            ("My work (Triage)", self.triage, "/triage/mine/"),
            ("Notifications (Triage)", self.triage, "/notifications/"),
            ("My referrals (practitioner)", authors, "/referrals/mine/"),
        ]:
            count, _ = self._queries(browsers[0], path)
            size = min(self._page_bytes(browsers[0], path), FLOOR_MAX_BYTES)
            floor = self._run("floor", self._rotating(browsers, [f"/bench/floor/?bytes={size}"]))
            page = self._run("page", self._rotating(browsers, [path]))
            self.report.add(
                Row(
                    label,
                    scale_label(n),
                    f"{http_result(page)}; {count} queries",
                    f"floor: {http_result(floor)}",
                    "" if path.startswith("/bench/") else "<= 10 ms app CPU",
                    ""
                    if path.startswith("/bench/")
                    else verdict(page.app_cpu_ms <= 10.0 and not page.errors),
                    notes=f"{path}, {size:,} bytes; app CPU {page.app_cpu_ms:.1f} ms against "
                    f"the floor's {floor.app_cpu_ms:.1f} ms at the same size",
                )
            )

    # --- EXPLAIN ---

    def _explain(self, n: int) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from referrals import links
        from referrals.models import Referral

        print("EXPLAIN ANALYZE ...", flush=True)
        chosen = []
        for label, sql in self.queue_sql.items():
            for statement in sql:
                if 'FROM "referrals_referral"' in statement and statement.startswith("SELECT"):
                    chosen.append((f"Triage queue ({label})", statement))
        referral = Referral.objects.get(reference=self.sample_reference)
        with CaptureQueriesContext(connection) as captured:
            links.links_for(referral)
        for q in captured.captured_queries:
            if q["sql"].startswith("SELECT"):
                chosen.append((f"Links of {referral.reference}", q["sql"]))
        seq_any = False
        for title, statement in chosen:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            seq = bool(re.search(r"Seq Scan on referrals_referral\b", plan))
            seq_any |= seq
            self.report.plans.append((f"{title}\n\n`{statement[:600]}`", plan, seq))
            print(f"--- {title}\n{statement[:300]}\n{plan}\n", flush=True)
        self.report.add(
            Row(
                "EXPLAIN of queue and link queries",
                scale_label(n),
                f"{len(chosen)} plans, see below",
                "",
                "no Seq Scan on the referral table",
                verdict(not seq_any),
            )
        )

    # --- 2. submission ---

    def _submission(self, n: int, practitioners) -> None:
        from bench.data import generate_drafts
        from bench.sessions import Browser

        print("Submission ...", flush=True)
        authors = practitioners[: self.args.clients]
        per_author = self.args.drafts
        drafts = generate_drafts(authors, per_author)
        browsers = {a.pk: Browser(a) for a in authors}
        count, _ = self._queries(
            browsers[authors[0].pk],
            f"/referrals/drafts/{drafts[authors[0].pk].pop()}/check/",
            method="POST",
        )
        queues = [(browsers[a.pk], drafts[a.pk]) for a in authors]
        # For wrk: every draft's POST, the authors interleaved (bench/wrk.py slices it).
        listed = [
            load.Request(
                "POST", f"/referrals/drafts/{public_id}/check/", b.form_headers(), b.form_body()
            )
            for row in itertools.zip_longest(*[ids for _, ids in queues])
            for (b, _), public_id in zip(queues, row, strict=True)
            if public_id is not None
        ]
        lock = threading.Lock()
        order = itertools.cycle(queues)

        def next_submission():
            with lock:
                for _ in range(len(queues)):
                    browser, ids = next(order)
                    if ids:
                        public_id = ids.pop()
                        break
                else:
                    return None
            return load.Request(
                "POST",
                f"/referrals/drafts/{public_id}/check/",
                browser.form_headers(),
                browser.form_body(),
            )

        def next_insert():
            browser = queues[0][0]
            return load.Request(
                "POST", "/bench/baseline/insert/", browser.form_headers(), browser.form_body()
            )

        next_submission.requests = listed
        next_insert.requests = [next_insert()]
        base = self._run("baseline", next_insert, expect=(201,))
        page = self._run("submit", next_submission, expect=(302,), consumes=True)
        self._purge_broker()
        self.form_submission = page  # the API submission's line stands beside it
        p99 = page.percentile(0.99) or 1e9
        self.report.add(
            Row(
                "Referral submission (check-answers POST)",
                scale_label(n),
                f"{http_result(page, 'submissions/s')}; {count} queries",
                f"{http_result(base, 'inserts/s')} (bare one-row insert)",
                ">= 300 submissions/s, p99 < 100 ms",
                verdict(page.rate >= 300 and p99 < 0.100 and not page.errors),
                notes=f"{page.count} submissions measured; each writes the referral, link keys, "
                "an event, an audit event and outbox rows, and publishes to the broker "
                "(no worker consumes during this line)",
            )
        )

    # --- 2b. submission by the partner API (issue 22) ---

    def _api_submission(self, n: int, practitioners) -> None:
        """POST /api/v1/referrals/ with a JSON body and a Bearer token, one registered
        client per submitting practitioner: each POST fills in and submits a new referral
        (the form's sections and rules, then referral_submit), beside the form's
        check-answers POST measured just before in the same run."""
        import json

        from referrals.models import ApiClient

        print("API submission ...", flush=True)
        authors = practitioners[: self.args.clients]
        tokens = []
        for i, author in enumerate(authors):
            client = ApiClient(
                name=f"Bench MIS {i}",
                organisation=author.organisation,
                accountable_person=author,
                scopes=[ApiClient.Scope.SUBMIT],
            )
            tokens.append(client.new_token())
            client.save()
        bodies = [
            json.dumps(api_referral_body(i)).encode()  # ASCII (\u escapes): wrk's Lua
            for i in range(max(len(tokens) * 8, 64))
        ]

        def request(i: int) -> load.Request:
            headers = {
                "Host": "127.0.0.1",
                "Content-Type": "application/json",
                "Authorization": f"Bearer {tokens[i % len(tokens)]}",
            }
            return load.Request("POST", "/api/v1/referrals/", headers, bodies[i % len(bodies)])

        listed = [request(i) for i in range(len(bodies))]
        counter = itertools.count()

        def next_api():
            return request(next(counter))

        next_api.requests = listed
        count, _ = self._api_queries(tokens[0], bodies[0])
        page = self._run("api-submit", next_api, expect=(201,))
        self._purge_broker()
        form = getattr(self, "form_submission", None)
        faster = form is not None and page.rate >= form.rate and not page.errors
        self.report.add(
            Row(
                "API submission (POST /api/v1/referrals/, JSON, Bearer token)",
                scale_label(n),
                f"{http_result(page, 'submissions/s')}; {count} queries",
                f"form: {http_result(form, 'submissions/s')}" if form else "form not measured",
                "at least as fast as the form's submission in the same run",
                verdict(faster),
                notes=f"{page.count} referrals created; each POST starts a referral, fills in "
                "every section through the intake forms and services, answers two indicators, "
                "adds a person and submits (the form line only submits a draft already "
                "complete); no Idempotency-Key",
            )
        )

    def _purge_broker(self) -> None:
        import redis

        redis.Redis.from_url(self.env["CELERY_BROKER_URL"]).flushdb()


def api_referral_body(i: int) -> dict:
    """A complete referral as a partner system sends it (invented people)."""
    first = ("Zo\u00eb", "Lukasz", "\u00d8yvind", "\u00c6sa", "Amara", "Tomasz")[i % 6]
    return {
        "danger": {"immediate_danger": "no"},
        "subject": {
            "subject_type": "child",
            "first_name": first,
            "last_name": f"Benchson{i}",
            "date_of_birth": f"{2010 + i % 6}-0{1 + i % 9}-1{i % 10}",
            "sex": "Female" if i % 2 else "Male",
            "address_line_1": f"{i % 200 + 1} Imaginary Road",
            "town": "Testtown",
            "postcode": "LS1 4AP",
        },
        "people": [
            {
                "role": "suspected_exploiter",
                "name": f"Invented Person {i % 50}",
                "phone": f"07700 900{i % 1000:03d}",
            }
        ],
        "indicators": [
            {"code": "cl-01", "answer": "yes", "detail": "Out late twice (invented)"},
            {"code": "cl-06", "answer": "no"},
        ],
        "consent": {"family_told": "yes", "consent_given": "yes"},
        "concern": {"concern": "Seen getting into unknown cars (invented).", "first_hand": "first"},
    }
