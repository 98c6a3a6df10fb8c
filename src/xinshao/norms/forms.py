from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.org.models import Term


class ComputeForm(forms.Form):
    """Which term's results, and which instrument answered in it ("phqa 1.0.0")."""

    term = forms.ModelChoiceField(Term.objects.all(), label=_("学期"), empty_label=None)
    instrument = forms.CharField(label=_("量表与版本"), max_length=70,
                                 help_text=_("只列出该学期有有效作答的量表。"))

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].widget = forms.Select(choices=choices)

    def clean_instrument(self) -> tuple[str, str]:
        instrument_id, _space, version = self.cleaned_data["instrument"].partition(" ")
        if not version:
            raise forms.ValidationError(_("请选择一个量表。"))
        return instrument_id, version
