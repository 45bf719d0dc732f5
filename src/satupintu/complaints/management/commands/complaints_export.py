"""``satupintu manage complaints_export --from 2026-01-01 --to 2026-01-31 [--format json|csv]
[--output FILE]``: the complaints filed in a period, for the national complaint system."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from satupintu.complaints.services import complaints_export
from satupintu.core.errors import DomainError


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = (
        "Export the complaints filed between two dates (both included) in the documented JSON "
        "or CSV format (docs/complaints.md). Anonymous complaints carry no identity."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "csv", "lapor"], default="json")
        parser.add_argument("--output", help="a file to write; standard output by default")

    def handle(self, *args, date_from, date_to, format, output=None, **options):
        try:
            content = complaints_export(
                actor=None,
                date_from=_date(date_from),
                date_to=_date(date_to),
                fmt=format,
                everything=True,
            )
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"Wrote {len(content)} bytes to {output}.")
        else:
            self.stdout.write(content.decode(), ending="")
