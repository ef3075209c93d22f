"""The measurements of issue 20's network and MACE list, in-process (as the referral
PDF is): the network view of a busy referral, whose line number 200 referrals share,
and the MACE list over the last 90 days. Mixed into bench.run.Run."""

import time

from bench import load
from bench.report import Row, ms, scale_label, verdict

BUSY_LINE = "+447700900999"  # Ofcom's drama range: never a real number
BUSY_SHARING = 200


class PeopleMeasurements:
    def _busy_referral(self):
        """A referral whose phone number 200 referrals give (written as link keys, as
        the submission service writes them)."""
        from referrals import links
        from referrals.models import LinkKey, Referral

        ids = list(
            Referral.objects.submitted()
            .order_by("-submitted_at")
            .values_list("pk", flat=True)[:BUSY_SHARING]
        )
        ((kind, value, display),) = links.phone_keys(BUSY_LINE)
        LinkKey.objects.bulk_create(
            [LinkKey(referral_id=pk, kind=kind, value=value, display=display) for pk in ids],
            ignore_conflicts=True,
        )
        return Referral.objects.get(pk=ids[0])

    def _network(self, n: int) -> None:
        from django.db import connection
        from django.template.loader import render_to_string
        from django.test.utils import CaptureQueriesContext

        from referrals import network

        print("Network view of a busy referral ...", flush=True)
        referral = self._busy_referral()

        def once():
            graph = network.network_for([referral])
            render_to_string(
                "referrals/people/network_section.html",
                {"network": graph, "network_caption": referral.reference},
            )
            return graph

        once()  # warm templates
        times = []
        for _ in range(30):
            began = time.monotonic()
            graph = once()
            times.append(time.monotonic() - began)
        with CaptureQueriesContext(connection) as captured:
            once()
        p95 = load.percentile(times, 0.95)
        self.report.add(
            Row(
                f"Network view, a line shared by {BUSY_SHARING} referrals",
                scale_label(n),
                f"{ms(load.median(times))} / {ms(p95)} / {ms(load.percentile(times, 0.99))} ms; "
                f"{len(captured)} queries",
                "",
                "< 300 ms",
                verdict(p95 < 0.300),
                notes=f"{len(times)} runs in-process (graph to two steps and the SVG and "
                f"table rendered); {len(graph.nodes)} nodes shown, {graph.left_out} left out",
            )
        )

    def _mace(self, n: int) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from referrals import network

        print("MACE list ...", flush=True)
        times, entries = [], []
        for _ in range(5):
            began = time.monotonic()
            entries = network.mace_list()
            times.append(time.monotonic() - began)
        with CaptureQueriesContext(connection) as captured:
            network.mace_list()
        self.report.add(
            Row(
                f"MACE list, the last {network.MACE_DAYS} days",
                scale_label(n),
                f"{max(times):.2f} s at most; {len(captured)} queries",
                "",
                "< 5 s",
                verdict(max(times) < 5),
                notes=f"{len(times)} runs in-process; {len(entries)} identifiers shared by "
                f"{network.MACE_MINIMUM} or more referrals",
            )
        )
