from pathlib import Path

from django.core.management.base import BaseCommand

from core import backups


class Command(BaseCommand):
    help = "Back up the database and the media folder into a timestamped directory under var/backups/."

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, help="the folder that receives the backup directory")

    def handle(self, *args, to=None, **options):
        target = backups.back_up(folder=to)
        self.stdout.write(str(target))
