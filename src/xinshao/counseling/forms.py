import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes
from xinshao.accounts.roles import Role

from .models import EquipmentItem, OpeningHours

CENTRE = "centre"


class RoomForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60, initial=_("心理辅导室"))
    area = forms.DecimalField(label=_("面积（平方米）"), min_value=1, max_value=9999, decimal_places=1)
    equipment = forms.ModelMultipleChoiceField(label=_("已有设备和条件"), required=False,
                                               queryset=EquipmentItem.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    staff = forms.ModelMultipleChoiceField(label=_("值班心理教师"), required=False, queryset=None,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = EquipmentItem.objects.filter(is_active=True)
        self.fields["staff"].queryset = scopes.users_in_role(Role.PSYCH_TEACHER, school=school)
        self.fields["staff"].label_from_instance = lambda user: user.display_name or user.username


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("星期"), choices=OpeningHours.Weekday.choices, coerce=int)
    opens = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}))


class StandardForm(forms.Form):
    min_area = forms.DecimalField(label=_("最小面积（平方米）"), min_value=1, max_value=9999, decimal_places=1)
    min_weekly_hours = forms.IntegerField(label=_("每周最少开放小时数"), min_value=1, max_value=80)
    items = forms.CharField(label=_("必备设备和条件"), help_text=_("每行一项"), widget=forms.Textarea(attrs={"rows": 10}))

    def clean_items(self):
        names = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if any(len(name) > 60 for name in names):
            raise forms.ValidationError(_("每一项请不超过 60 个字。"))
        if not names:
            raise forms.ValidationError(_("请至少写一项。"))
        return names


class SlotForm(forms.Form):
    place = forms.ChoiceField(label=_("地点"))
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=10, max_value=180, initial=45)
    weeks = forms.IntegerField(label=_("连续几周"), min_value=1, max_value=12, initial=1,
                               help_text=_("填 2 以上，会在之后每周同一时间再开放"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        rooms, regions = scopes.counselor_places(user)
        choices = [(str(room.pk), f"{room.school.name} · {room.name}") for room in rooms]
        if regions:
            choices.append((CENTRE, _("市心理中心")))
        self.fields["place"].choices = choices
        self.rooms, self.regions = rooms, regions

    def place_kwargs(self) -> dict:
        from xinshao.org.models import Region

        place = self.cleaned_data["place"]
        if place == CENTRE:
            return {"region": Region.objects.get(pk=sorted(self.regions)[0])}
        return {"room": self.rooms.get(pk=int(place))}

    def starts_at(self):
        moment = datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["start"])
        return timezone.make_aware(moment)


class BookForm(forms.Form):
    reason = forms.CharField(label=_("想聊的事（可不填）"), required=False, max_length=500,
                             help_text=_("只有辅导老师能看到"), widget=forms.Textarea(attrs={"rows": 3}))


class CounselorActForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300)
    notes = forms.CharField(required=False, max_length=4000)
    to_slot = forms.IntegerField(required=False)
