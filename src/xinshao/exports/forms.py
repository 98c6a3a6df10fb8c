from django import forms
from django.http import QueryDict

from xinshao.exports.models import ExportJob


class ExportRequestForm(forms.Form):
    """What the buttons on a list page send: the kind, the format and the page's own query string."""

    kind = forms.CharField(max_length=60)
    format = forms.ChoiceField(choices=ExportJob.Format.choices)
    query = forms.CharField(max_length=2000, required=False)

    def params(self) -> dict:
        query = QueryDict(self.cleaned_data["query"])
        return {key: value for key, value in query.items() if key != "page"}
