"""``satupintu manage talent_load <file> [<file> …]``: load competency dictionaries and
positions written in YAML (see ``talent.loading`` for the format); ``--framework`` applies
the shipped managerial and socio-cultural competencies again after an edit. Loading the same
file twice changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from satupintu.core.errors import DomainError
from satupintu.talent.services import dictionary_load, framework_load


class Command(BaseCommand):
    help = "Load competency dictionaries and positions from YAML files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML files to load, in order.")
        parser.add_argument(
            "--framework",
            action="store_true",
            help="Load the shipped managerial and socio-cultural competencies first.",
        )
        parser.add_argument(
            "--skip-missing-agencies",
            action="store_true",
            help="Skip what belongs to an agency that does not exist instead of failing.",
        )

    def handle(self, *args, files=(), framework=False, skip_missing_agencies=False, **options):
        if not files and not framework:
            raise CommandError("Name at least one file, or give --framework.")
        jobs = [("framework", None)] if framework else []
        jobs += [(name, name) for name in files]
        for label, path in jobs:
            try:
                result = (
                    framework_load()
                    if path is None
                    else dictionary_load(path=path, skip_missing_agencies=skip_missing_agencies)
                )
            except DomainError as exc:
                lines = [f"{label}: {exc.detail}"]
                lines += [f"  {error['path']}: {error['message']}" for error in exc.errors]
                raise CommandError("\n".join(lines)) from exc
            self.stdout.write(
                f"{label}: {len(result.competencies)} competencies, "
                f"{len(result.positions)} positions; {result.created} rows created, "
                f"{result.updated} changed, {result.unchanged} unchanged."
            )
            for code in result.skipped_agencies:
                self.stdout.write(f"  skipped agency {code} (not found)")
