from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        # Registers the Celery tasks in every process, so that services can queue them
        # by name (referrals/jobs.py). Only this registration imports referrals.tasks.
        from referrals import tasks  # noqa: F401
