"""Checks services make the same way before they write: the actor may do this, and text people
write says something, and not too much. Each refusal is a ValidationError in plain words."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def permitted(allowed: bool) -> None:
    """A service's own access check (the page has usually checked already)."""
    if not allowed:
        raise ValidationError(_("您没有权限进行这项操作。"))


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


def form_text(value, *, field: str, required: bool = True, limit: int = 1000) -> str:
    """The stripped text, or a ValidationError shown next to the form's `field`."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写这一项。")})
    if len(value) > limit:
        raise ValidationError({field: _("文字请控制在 %(n)d 字以内。") % {"n": limit}})
    return value
