import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Load synthetic referrals for benchmarks (PostgreSQL only; invented people)."

    def add_arguments(self, parser):
        parser.add_argument("--referrals", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--between",
            nargs=2,
            metavar=("FIRST", "LAST"),
            type=dt.date.fromisoformat,
            help="Received between these days (YYYY-MM-DD), instead of over five years.",
        )

    def handle(self, *args, referrals: int, seed: int, between, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_data loads with COPY and needs PostgreSQL (DATABASE_URL).")
        # Imported here: bench/ is a development tool, not part of a production install.
        from bench.data import generate

        result = generate(referrals, seed=seed, log=self.stdout.write, window=between)
        with connection.cursor() as cursor:
            # A live database's autovacuum has long since marked settled rows all-visible;
            # without it counts read every heap page instead of the index alone.
            cursor.execute("VACUUM (ANALYZE)")
        self.stdout.write(", ".join(f"{k}: {v:,}" for k, v in result.items()))
