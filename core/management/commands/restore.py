from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = "Restore a backup directory made by `backup`: the database and the media folder are replaced."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, nargs="?", help="a backup directory (default: the newest)")
        parser.add_argument("--database-url", help="restore into this database instead of the configured one")
        parser.add_argument("--media-root", type=Path, help="restore the media here instead of MEDIA_ROOT")

    def handle(self, *args, backup=None, database_url=None, media_root=None, **options):
        if backup is None:
            found = sorted(path for path in backups.default_folder().glob("*") if path.is_dir())
            if not found:
                raise CommandError("No backup under var/backups/.")
            backup = found[-1]
        if not backup.is_dir():
            raise CommandError(f"{backup} is not a backup directory.")
        backups.restore(backup, database_url=database_url, media_root=media_root)
        self.stdout.write(f"restored {backup}")
