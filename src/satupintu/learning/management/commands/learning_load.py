"""``satupintu manage learning_load PATH [--check]``: load a course file, or every course
file under a folder, into the catalogue of Learn; ``--check`` only checks them, and
``--schema`` prints the JSON Schema of a course file."""

from django.core.management.base import BaseCommand, CommandError

from satupintu.learning.catalogue_file import (
    CourseFileError,
    course_schema_text,
    courses_load,
    courses_validate,
)


class Command(BaseCommand):
    help = "Load course files (YAML) into the learning catalogue, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="A course file, or a folder of them.")
        parser.add_argument(
            "--check", action="store_true", help="Only check the files; write nothing."
        )
        parser.add_argument(
            "--schema", action="store_true", help="Print the JSON Schema of a course file."
        )

    def handle(self, *args, path: str | None = None, check=False, schema=False, **options):
        if schema:
            self.stdout.write(course_schema_text())
            return
        if not path:
            raise CommandError("Give the course file or folder to load.")
        if check:
            files = courses_validate(directory_or_file=path)
            for problem in files.problems:
                self.stdout.write(str(problem))
            if files.problems:
                raise CommandError(
                    f"{len(files.problems)} problem(s) in {files.files} file(s); fix them and "
                    "check again."
                )
            self.stdout.write(f"{files.files} file(s) are valid: {len(files.entries)} course(s).")
            return
        try:
            result = courses_load(directory_or_file=path)
        except CourseFileError as exc:
            for line in exc.errors:
                self.stdout.write(line)
            raise CommandError(str(exc.detail)) from exc
        self.stdout.write(str(result))
