"""Writes for the instrument library: storing a custom definition a bureau admin uploads."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xinshao.audit.services import audit_record
from xinshao.instruments.engine import DefinitionError, builtin_library, parse_definition
from xinshao.instruments.models import CustomInstrument

MAX_DEFINITION_BYTES = 1_000_000


@transaction.atomic
def custom_instrument_upload(*, uploaded_by, file) -> CustomInstrument:
    """Check an uploaded definition file with the engine and store it.

    Raises ValidationError listing every problem: not JSON, any schema problem the engine
    finds (unknown items in a subscale, bands with gaps or overlaps, option values that do
    not match the declared ranges, ...), an id of the built-in library, or an id and version
    already uploaded. The caller has already decided that the user may manage instruments.
    """
    content = file.read(MAX_DEFINITION_BYTES + 1)
    if len(content) > MAX_DEFINITION_BYTES:
        raise ValidationError(_("定义文件超过 1 MB。"))
    try:
        definition = parse_definition(content, origin=getattr(file, "name", None) or "uploaded file")
    except DefinitionError as error:
        raise ValidationError(error.problems) from None
    _refuse_clashes(definition)
    instrument = CustomInstrument(
        instrument_id=definition.id, version=definition.version, definition=definition.data,
        definition_sha256=definition.sha256, uploaded_by=uploaded_by,
    )
    instrument.full_clean()
    instrument.save()
    audit_record(actor=uploaded_by, action="instrument.custom_upload", obj=instrument,
                 detail={"instrument": definition.id, "version": definition.version, "sha256": definition.sha256})
    return instrument


def _refuse_clashes(definition) -> None:
    """A custom definition may not pass for a built-in one, nor replace an uploaded version."""
    if definition.id in builtin_library():
        raise ValidationError(_("“%(id)s”是内置量表的标识，自定义量表请使用其他标识。") % {"id": definition.id})
    if CustomInstrument.objects.filter(instrument_id=definition.id, version=definition.version).exists():
        raise ValidationError(
            _("量表 %(id)s 的版本 %(version)s 已上传过；修改后的定义请使用新的版本号。")
            % {"id": definition.id, "version": definition.version}
        )
