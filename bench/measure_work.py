"""The measurements of work done outside the web request: referral PDFs, notification
latency through a Celery worker, and the monthly summary in a process of its own. Mixed
into bench.run.Run."""

import datetime as dt
import json
import subprocess
import sys
import time

from bench import load, services
from bench.report import Row, ms, scale_label, seconds_result, verdict

ROOT = services.ROOT


class WorkerMeasurements:
    # --- 5. referral PDF ---

    def _pdf(self, n: int) -> None:
        from referrals import pdf
        from referrals.exports import services as exports
        from referrals.models import Export, Referral

        print("Referral PDF ...", flush=True)
        user = self.triage[0].user
        chosen = getattr(self, "detail_references", [])[: self.args.pdfs + 1]
        if chosen:
            references = list(Referral.objects.filter(reference__in=chosen))
        else:
            references = list(Referral.objects.submitted().filter(has_shared_phone=True)[:21])
        times = []
        for i, referral in enumerate(references):
            export = Export.objects.create(referral=referral, requested_by=user)
            began = time.monotonic()
            exports.export_render(export_id=export.pk)
            if i:  # the first warms fonts and templates
                times.append(time.monotonic() - began)
        base = []
        for i in range(len(times) + 1):
            began = time.monotonic()
            pdf.html_to_pdf("<html><body><p>Baseline page.</p></body></html>")
            if i:
                base.append(time.monotonic() - began)
        self.report.add(
            Row(
                "Referral PDF (Triage, with links)",
                scale_label(n),
                seconds_result(times),
                f"{seconds_result(base)} (one-line PDF)",
                "< 1.5 s",
                verdict(load.percentile(times, 0.95) < 1.5),
                notes=f"{len(times)} exports rendered by the export service in-process",
            )
        )

    # --- 6. notification latency ---

    def _notifications(self, n: int, practitioners) -> None:
        import http.client

        from bench.data import generate_drafts
        from bench.sessions import Browser
        from config.celery import ping

        print("Notification latency ...", flush=True)
        author = practitioners[-1]
        drafts = generate_drafts([author], self.args.notifications, seed=11)[author.pk]
        browser = Browser(author)
        worker = services.celery_worker(self.env, self.env["CELERY_TASK_DEFAULT_QUEUE"])
        try:
            base = []
            for _ in range(self.args.notifications):
                began = time.monotonic()
                ping.delay().get(timeout=30)
                base.append(time.monotonic() - began)
            sent = []
            conn = http.client.HTTPConnection(load.HOST, self.port, timeout=30)
            for public_id in drafts:
                began = time.monotonic()
                conn.request(
                    "POST",
                    f"/referrals/drafts/{public_id}/check/",
                    browser.form_body(),
                    browser.form_headers(),
                )
                response = conn.getresponse()
                response.read()
                reference = (response.getheader("Location") or "").rstrip("/").split("/")[-2]
                sent.append((began, reference))
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection(load.HOST, self.port, timeout=30)
                time.sleep(0.25)
            conn.close()
            deadline = time.monotonic() + 60
            latencies = []
            while time.monotonic() < deadline:
                arrived = [
                    self.sink.first_containing(f"New county lines referral {ref}")
                    for _, ref in sent
                ]
                if all(arrived):
                    break
                time.sleep(0.2)
            latencies = [t - began for (began, _), t in zip(sent, arrived, strict=True) if t]
            missing = len(sent) - len(latencies)
        finally:
            worker.stop()
        p95 = load.percentile(latencies, 0.95)
        self.report.add(
            Row(
                "Notification: submitted to SMTP-accepted",
                scale_label(n),
                f"{ms(load.median(latencies))} / {ms(p95)} / "
                f"{ms(load.percentile(latencies, 0.99))} ms"
                + (f", {missing} never arrived" if missing else ""),
                f"{ms(load.median(base))} / {ms(load.percentile(base, 0.95))} / "
                f"{ms(load.percentile(base, 0.99))} ms (Celery ping round trip)",
                "p95 < 2 s",
                verdict(p95 is not None and p95 < 2 and not missing),
                notes=f"{len(sent)} submissions 0.25 s apart, one solo-pool worker, "
                "to the intake mailbox's message",
            )
        )

    # --- 4. monthly summary ---

    def _summary(self, n: int) -> None:
        from django.db import connection

        from referrals.exports import figures
        from referrals.models import Referral

        print("Monthly summary ...", flush=True)
        today = dt.date.today()
        month = figures.previous_month(today)
        first, end = figures.month_bounds(month)
        have = Referral.objects.filter(submitted_at__gte=first, submitted_at__lt=end).count()
        extra = max(0, self.args.month_referrals - have)
        last_day = figures.add_months(month, 1) - dt.timedelta(days=1)
        connection.close()
        if extra:
            self._manage(
                "bench_data",
                "--referrals",
                str(extra),
                "--seed",
                "99",
                "--between",
                month.isoformat(),
                last_day.isoformat(),
            )
        total = Referral.objects.filter(submitted_at__gte=first, submitted_at__lt=end).count()
        connection.close()
        runs = [self._child(month, "full") for _ in range(self.args.summaries)]
        split = self._child(month, "split")
        base = self._child(month, "baseline")
        seconds = [r["seconds"] for r in runs]
        peak = max(r["peak_mb"] for r in runs)
        self.report.add(
            Row(
                f"Monthly summary ({month:%B %Y})",
                f"{total:,} in the month",
                f"{seconds_result(seconds)}; peak {peak:.0f} MB",
                f"process start + one query: peak {base['peak_mb']:.0f} MB",
                "< 5 s, < 300 MB",
                verdict(max(seconds) < 5 and peak < 300),
                notes=f"{len(runs)} runs, each in a fresh process through the summary service "
                f"(figures, PDF, file); one run: aggregation {split['aggregate_seconds']:.2f} s, "
                f"render {split['render_seconds']:.2f} s",
            )
        )

    def _child(self, month, mode: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "bench.summary_child", f"{month:%Y-%m}", mode],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"summary child failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])
