"""The shared body of ``import_projects`` and ``import_involvement`` (the same parser as the admin
import pages: ``projects.imports``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects import imports

EXIT_BAD_INPUT = 2


class ImportCommand(BaseCommand):
    kind: str = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8 with or without BOM, or Excel's CSV)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check every row and say what would change, without writing anything",
        )

    def handle(self, *args, file: str, dry_run: bool = False, **options):
        path = Path(file)
        try:
            text = imports.decode(path.read_bytes())
        except OSError as problem:
            raise CommandError(
                f"cannot read {file}: {problem.strerror}", returncode=EXIT_BAD_INPUT
            ) from None
        except imports.ImportFileError as problem:
            raise CommandError(str(problem), returncode=EXIT_BAD_INPUT) from None

        if dry_run:
            preview = imports.parse(self.kind, text)
            if not preview.ok:
                self._reject(preview)
            counts = preview.counts
            self.stdout.write(
                f"Dry run: {len(preview.rows)} rows would import: {counts[imports.CREATE]} new, "
                f"{counts[imports.UPDATE]} updated, {counts[imports.UNCHANGED]} unchanged. "
                "Nothing was written."
            )
            return
        try:
            _preview, result = imports.apply(self.kind, text)
        except imports.ImportRejected as rejected:
            self._reject(rejected.preview)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )

    def _reject(self, preview: imports.Preview):
        for error in preview.errors:
            self.stderr.write(str(error))
        raise CommandError(
            f"{len(preview.errors)} error(s) in the file: nothing was imported.",
            returncode=EXIT_BAD_INPUT,
        )
