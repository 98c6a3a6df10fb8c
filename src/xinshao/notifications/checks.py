from django.conf import settings
from django.core.checks import Error


def check_channels(app_configs, **kwargs) -> list[Error]:
    """Every name in NOTIFY_EXTERNAL_CHANNELS is a registered channel (a typo would silently
    leave urgent notifications in the inbox only). Runs with `xinshao check` and `migrate`."""
    from xinshao.notifications.channels import channel_names

    known = channel_names()
    return [
        Error(f"NOTIFY_EXTERNAL_CHANNELS names an unknown channel {name!r}", hint=f"known: {', '.join(known)}",
              id="notifications.E001")
        for name in settings.NOTIFY_EXTERNAL_CHANNELS if name not in known
    ]
