"""Put every submitted referral without a person record into one (issue 20): run once
after deploying person records; safe to run again (it only picks up the unassigned)."""

from django.core.management.base import BaseCommand

from referrals.person_records import person_records_backfill


class Command(BaseCommand):
    help = "Assign existing referrals to person records, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        assigned = person_records_backfill(batch_size=batch_size)
        self.stdout.write(f"Assigned {assigned} referrals to person records.")
