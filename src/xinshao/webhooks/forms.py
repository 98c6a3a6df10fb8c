from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes
from xinshao.webhooks.models import Event


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80, help_text=_("写明是哪个系统，如“区学籍系统”。"))
    url = forms.CharField(label=_("接收地址"), max_length=500,
                          help_text=_("http:// 或 https:// 开头；校园网内的地址（如 http://10.2.3.4/hook）也可以。"))
    events = forms.MultipleChoiceField(label=_("推送哪些事件"), choices=Event.choices,
                                       widget=forms.CheckboxSelectMultiple)
    covers = forms.ChoiceField(label=_("范围"), help_text=_("推送这个地区或这所学校的预警和转介事件。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {f"region:{region.pk}": region for region in scopes.webhook_regions_for(user)}
        self.places |= {f"school:{school.pk}": school for school in scopes.webhook_schools_for(user)}
        self.fields["covers"].choices = [(key, str(place)) for key, place in self.places.items()]

    def clean_covers(self):
        return self.places[self.cleaned_data["covers"]]
