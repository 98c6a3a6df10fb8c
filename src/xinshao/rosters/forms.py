from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from xinshao.rosters.reading import ACCEPTED_EXTENSIONS


class RosterUploadForm(forms.Form):
    # An empty file is let through so the import reports it and records the attempt.
    file = forms.FileField(
        label=_("名册文件"),
        allow_empty_file=True,
        help_text=_("Excel 工作簿（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码）。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The upload limit of the whole site, so a roster cannot be larger than any other upload.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if upload.size > limit:
            raise forms.ValidationError(_("文件太大（最大 %(limit)s）。") % {"limit": filesizeformat(limit)})
        return upload
