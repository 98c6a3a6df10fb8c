from django import forms
from django.utils.translation import gettext_lazy as _


class CustomInstrumentUploadForm(forms.Form):
    file = forms.FileField(label=_("量表定义文件（JSON）"), help_text=_("格式见 docs/instruments.md；上传前会逐项检查。"))
