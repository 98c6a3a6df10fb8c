"""The `xinshao` console command: Django's management commands under one name.

`xinshao` or `xinshao --help` lists the project's own commands with what each does;
`xinshao help COMMAND` shows one command's options; Django's own commands
(migrate, createsuperuser, ...) work as with manage.py.
"""
import os
import sys


def _project_commands() -> list[tuple[str, str]]:
    from django.core.management import get_commands, load_command_class

    rows = []
    for name, app in sorted(get_commands().items()):
        if app.startswith("xinshao."):
            command = load_command_class(app, name)
            rows.append((name.replace("_", "-"), _first_sentence(str(command.help))))
    return rows


def _first_sentence(text: str) -> str:
    """The help text up to its first full stop (English or Chinese), on one line."""
    flat = " ".join(text.split())
    for end, stop in ((flat.find(". "), "."), (flat.find("。"), "。")):
        if end != -1:
            return flat[:end] + stop
    return flat


def _print_overview() -> None:
    print("usage: xinshao COMMAND [options]\n")
    print("心哨 Xinshao — the project's commands (xinshao help COMMAND for a command's options):\n")
    rows = _project_commands()
    width = max(len(name) for name, _ in rows)
    for name, text in rows:
        print(f"  {name.ljust(width)}  {text}")
    print("\nDjango's own commands (migrate, createsuperuser, shell, ...) work too: xinshao help --commands")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinshao.settings")
    import django
    from django.core.management import execute_from_command_line

    argv = sys.argv[1:]
    if argv in ([], ["--help"], ["-h"], ["help"]):
        django.setup()
        _print_overview()
        return
    # Commands are spelled with hyphens (import-roster); Django's modules use underscores.
    argv = [arg.replace("-", "_") if i == _command_position(argv) else arg for i, arg in enumerate(argv)]
    execute_from_command_line(["xinshao", *argv])


def _command_position(argv: list[str]) -> int:
    """Index of the command name: the first word, or the one after `help`."""
    return 1 if argv and argv[0] == "help" and len(argv) > 1 else 0


if __name__ == "__main__":
    main()
