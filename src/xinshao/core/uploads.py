"""Uploaded documents (evidence, activity materials, signed agreements): told apart by their first
bytes as well as their name, so a renamed file is refused, and held to the site's upload limit
(UPLOAD_MAX_BYTES, as for rosters)."""
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Enough of a file's start to tell every kind below apart.
HEAD_BYTES = 16


@dataclass(frozen=True)
class FileKinds:
    described: str                          # for the refusal: "只能上传 <described> 文件"
    magic: dict[str, tuple[bytes, ...]]     # extension -> the first bytes a file of that kind starts with

    @property
    def accept(self) -> str:
        """For the file input's accept attribute."""
        return ",".join(self.magic)


PDF = FileKinds(gettext_lazy("PDF"), {".pdf": (b"%PDF",)})
# The kinds schools keep their records in.
RECORDS = FileKinds(gettext_lazy("PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）"), {
    ".pdf": (b"%PDF",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",),
})


def upload_limit() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def upload_problem(*, name: str, size: int, head: bytes, kinds: FileKinds) -> str | None:
    """Why a file cannot be taken, in words for the person uploading it; None when it can."""
    extension = PurePath(name).suffix.lower()
    if extension not in kinds.magic:
        return _("只能上传 %(kinds)s 文件。") % {"kinds": kinds.described}
    if size == 0:
        return _("文件是空的，请重新选择。")
    if size > upload_limit():
        return _("文件太大（最大 %(limit)s）。") % {"limit": filesizeformat(upload_limit())}
    if not any(head.startswith(magic) for magic in kinds.magic[extension]):
        return _("文件内容与扩展名不符，请上传原始文件。")
    return None


def checked_upload(upload, kinds: FileKinds):
    """A form's clean_<field> for an uploaded file: the file, or a ValidationError saying what is wrong."""
    head = b""
    if upload.size <= upload_limit():  # a file over the limit is refused on its size alone, unread
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
    problem = upload_problem(name=upload.name, size=upload.size, head=head, kinds=kinds)
    if problem:
        raise ValidationError(problem)
    return upload


def stored_upload_problem(*, name: str, content: bytes, kinds: FileKinds) -> str | None:
    """The same check for a file a service is given whole."""
    return upload_problem(name=name, size=len(content), head=content[:HEAD_BYTES], kinds=kinds)


def file_kept(field_file, *, stored_name: str, content: bytes, save) -> None:
    """Write the file, then its row (`save()`): if the row is not written, the file goes too."""
    field_file.save(stored_name, ContentFile(content), save=False)
    try:
        save()
    except Exception:
        field_file.storage.delete(field_file.name)  # no row, no file
        raise
