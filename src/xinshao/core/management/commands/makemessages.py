from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages with msgmerge's fuzzy matching off (`make messages` uses it): a guess
    from a similar string would show an unrelated English sentence until someone noticed."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
