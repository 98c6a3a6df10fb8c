"""Words the system writes to people, kept so each reader gets them in their own language.

A caller of `notify` may give the subject and body as a `Text`: a message id (marked with
gettext_noop where it is written) and its values. The notification keeps the id and values, and
the inbox words them with gettext when it is read; it also keeps the words in the default
language, which SMS and e-mail send and which rows written before texts existed only have.
"""
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Text:
    msgid: str
    values: dict = field(default_factory=dict)  # a value may itself be a Text, e.g. a level's name

    def stored(self) -> dict:
        values = {key: value.stored() if isinstance(value, Text) else value for key, value in self.values.items()}
        return {"msgid": self.msgid, "values": values}

    def __str__(self) -> str:
        return text_worded(self.stored())


def text_worded(stored: dict) -> str:
    """A stored text in the active language; its own words when a translation does not fit its values."""
    values = {key: text_worded(value) if isinstance(value, dict) else value
              for key, value in stored.get("values", {}).items()}
    if not values:
        return gettext(stored["msgid"])
    try:
        return gettext(stored["msgid"]) % values
    except (KeyError, TypeError, ValueError):
        logger.warning("translation of %r does not fit its values", stored["msgid"])
        return stored["msgid"] % values


def in_default_language(words) -> str:
    """Plain words as given; a Text in the site's default language."""
    if not isinstance(words, Text):
        return words
    with translation.override(settings.LANGUAGE_CODE):
        return str(words)
