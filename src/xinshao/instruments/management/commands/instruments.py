import json

from django.core.management.base import BaseCommand

from xinshao.instruments.management.commands._help import RawHelpFormatter
from xinshao.instruments.management.commands._migrations import exit_unless_migrated
from xinshao.instruments.selectors import custom_instrument_keys, instrument_library


class Command(BaseCommand):
    help = """List the instrument library. Built-in definitions and custom ones a bureau admin uploaded.

One line per instrument and version: id, version, number of items, who answers it,
licence status (free, free_non_commercial, permission_required), wording (official, or
paraphrase: the project's own labels, to be replaced by the official wording before live
use), origin (built-in or custom) and title. Score one with `xinshao score ID --answers ...`.
With --json, one JSON object per line instead.
"""

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=RawHelpFormatter, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="one JSON object per line")

    def handle(self, *args, as_json: bool = False, **options):
        exit_unless_migrated(self)
        custom = custom_instrument_keys()
        rows = [self._row(definition, custom) for definition in instrument_library()]
        if as_json:
            for row in rows:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        self.stdout.write(f"{'id':<8} {'version':<8} {'items':>5}  {'respondents':<22} {'licence':<20} {'wording':<10} {'origin':<8} title")
        for row in rows:
            self.stdout.write(
                f"{row['id']:<8} {row['version']:<8} {row['items']:>5}  {','.join(row['respondents']):<22} "
                f"{row['licence']:<20} {row['wording']:<10} {row['origin']:<8} {row['title']['en']} / {row['title']['zh-Hans']}"
            )

    @staticmethod
    def _row(definition, custom: set) -> dict:
        data = definition.data
        return {
            "id": definition.id, "version": definition.version, "items": len(definition.items),
            "respondents": data["respondents"], "licence": data["licence"]["status"],
            "wording": data["wording_status"], "origin": "custom" if definition.key in custom else "built-in",
            "title": definition.title,
        }
