"""Run in its own process by the harness, so that its peak memory is its own:
`python -m bench.summary_child YYYY-MM full|split|baseline`; prints one JSON line."""

import json
import os
import resource
import sys
import time


def main(month_text: str, mode: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from referrals import pdf
    from referrals.exports import documents, figures
    from referrals.exports import services as exports

    month = figures.parse_month(month_text)
    result: dict = {"mode": mode}
    if mode == "baseline":
        # The same process doing nothing but start and ask one question.
        began = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        result["seconds"] = time.monotonic() - began
    elif mode == "split":
        now = timezone.now()
        summary = exports.summary_request(month=month, queue=False)
        began = time.monotonic()
        month_figures = figures.monthly_figures(month, now=now)
        aggregated = time.monotonic()
        pdf.html_to_pdf(documents.summary_pdf_html(summary, month_figures, now))
        result["aggregate_seconds"] = aggregated - began
        result["render_seconds"] = time.monotonic() - aggregated
        result["received"] = month_figures["totals"]["received"]
    else:
        summary = exports.summary_request(month=month, queue=False)
        began = time.monotonic()
        summary = exports.summary_generate(summary_id=summary.pk)
        result["seconds"] = time.monotonic() - began
        result["state"] = summary.state
    # ru_maxrss is in kilobytes on Linux.
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
