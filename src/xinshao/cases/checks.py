"""Input checks shared by the case services: text people write must say something, and not too much."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def written_text(value, *, what: str, minimum: int, maximum: int, required: bool = True) -> str:
    """The stripped text, or a ValidationError naming the field; empty is fine when not required."""
    value = value.strip() if isinstance(value, str) else ""
    if not value and not required:
        return ""
    if len(value) < minimum:
        raise ValidationError(_("请写明%(what)s（至少 %(n)s 个字）。") % {"what": what, "n": minimum})
    if len(value) > maximum:
        raise ValidationError(_("%(what)s太长了（最多 %(n)s 个字）。") % {"what": what, "n": maximum})
    return value
