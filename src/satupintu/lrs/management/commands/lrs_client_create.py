"""``satupintu manage lrs_client_create NAME [--read-only]``: issue HTTP Basic credentials
to an xAPI client and print them as ``key:secret`` on one line, the only time the secret is
shown."""

from django.core.management.base import BaseCommand, CommandError

from satupintu.lrs.services import lrs_client_create


class Command(BaseCommand):
    help = (
        "Issue xAPI credentials to a client of the LRS at /xapi/ and print them as key:secret "
        "(the secret is not shown again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="which application uses the credentials")
        parser.add_argument(
            "--read-only",
            action="store_true",
            help="the client may read statements and documents but store nothing",
        )

    def handle(self, *args, name, read_only=False, **options):
        if not name.strip():
            raise CommandError("Give the client a name.")
        client, secret = lrs_client_create(name=name, can_write=not read_only)
        self.stdout.write(f"{client.key}:{secret}")
