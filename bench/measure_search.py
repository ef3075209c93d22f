"""The search across referrals (issue 20): by name and by phone, in-process through the
search service, p95 latency and SQL queries per search. Mixed into bench.run.Run.
`--searches` bounds how many searches of each kind run (small under --quick)."""

import time

from bench import load
from bench.report import Row, ms, scale_label, verdict


class SearchMeasurements:
    def _search(self, n: int) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from referrals import normalise
        from referrals.models import LinkKey, Referral
        from referrals.search import services

        print("Search ...", flush=True)
        user = self.triage[0].user
        count = self.args.searches
        names = [
            {"q": f"{r.first_name} {r.last_name}"}
            for r in Referral.objects.submitted().exclude(last_name="")[:count]
        ]
        phones = [
            {"phone": value}
            for value in LinkKey.objects.filter(kind=LinkKey.Kind.PHONE).values_list(
                "value", flat=True
            )[:count]
        ]
        for label, terms_list in (("name", names), ("phone", phones)):
            times, queries = [], 0
            for i, terms in enumerate(terms_list):
                if "phone" in terms:
                    terms = {"phone": normalise.phone_e164(terms["phone"])}
                with CaptureQueriesContext(connection) as captured:
                    began = time.monotonic()
                    services.referral_search(user=user, terms=terms, audited_terms=terms)
                    elapsed = time.monotonic() - began
                if i:  # the first warms the connection and the planner
                    times.append(elapsed)
                queries = len(captured)
            p95 = load.percentile(times, 0.95) if times else None
            self.report.add(
                Row(
                    f"Search by {label} (Triage, in-process)",
                    scale_label(n),
                    f"p95 {ms(p95)} ms, {queries} queries",
                    "",
                    "p95 < 100 ms",
                    verdict(p95 is not None and p95 < 0.1),
                    notes=f"{len(times)} searches through referrals.search.services",
                )
            )
