"""`python manage.py monthly_summary 2026-10`: produce (or produce again) a month's summary.

By default the summary is produced here and now; with --queue it is handed to a worker."""

from django.core.management.base import BaseCommand, CommandError

from referrals.exports import figures
from referrals.exports import services as exports
from referrals.models.exports import ExportState


class Command(BaseCommand):
    help = "Produce the managers' summary for a calendar month, e.g. 2026-10."

    def add_arguments(self, parser):
        parser.add_argument("month", help="The month as YYYY-MM, e.g. 2026-10.")
        parser.add_argument(
            "--queue", action="store_true", help="Hand the work to a Celery worker instead."
        )

    def handle(self, *args, month: str, queue: bool, **options):
        try:
            first = figures.parse_month(month)
        except ValueError:
            raise CommandError(
                f"Give the month as YYYY-MM, e.g. 2026-10 (not {month!r})."
            ) from None
        summary = exports.summary_request(month=first, queue=queue)
        if queue:
            self.stdout.write(f"Summary for {first:%B %Y} queued.")
            return
        summary = exports.summary_generate(summary_id=summary.pk)
        if summary.state != ExportState.READY:
            raise CommandError(f"Summary for {first:%B %Y} failed: {summary.error}")
        self.stdout.write(
            self.style.SUCCESS(f"Summary for {first:%B %Y} ready ({summary.pdf.name}).")
        )
