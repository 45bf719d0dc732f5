"""``satupintu manage feedback_signals [--period 2026-Q3] [--queue]``: compute the service
performance signals (weak IKM elements, share of overdue cases) of one quarter (by default
the last complete one). Safe to run again: it rewrites the quarter's rows."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from satupintu.feedback import periods, services, tasks


class Command(BaseCommand):
    help = "Compute the service performance signals of a period (default: the last quarter)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period",
            default="",
            help="2026-Q3, 2026-H1, 2026 or 2026-01-01..2026-03-31 (default: the last complete quarter)",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the work for a worker instead of doing it now.",
        )

    def handle(self, *args, period: str = "", queue: bool = False, **options):
        try:
            chosen = (
                periods.period_parse(period)
                if period
                else periods.last_complete_quarter(timezone.localdate())
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if queue:
            tasks.compute_service_signals.enqueue(
                start=chosen.start.isoformat(), end=chosen.end.isoformat()
            )
            self.stdout.write(f"Queued the signals of {chosen.key}.")
            return
        count = services.service_signals_compute(period=chosen)
        self.stdout.write(f"{count} services have signals for {chosen.key}.")
