"""The checklist of things a classmate, teacher or parent may have noticed.

One vocabulary for every channel, so rules can say "any report of self-harm talk is red"
whoever made it. The keys are what rules and stored facts use; the labels are what people read.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Concern(models.TextChoices):
    SELF_HARM_TALK = "self_harm_talk", _("说过不想活、想伤害自己，或写过类似的话")
    INJURY_MARKS = "injury_marks", _("身上有不明原因的伤痕")
    LOW_MOOD = "low_mood", _("情绪持续低落、常哭泣")
    WITHDRAWN = "withdrawn", _("退缩，不愿与人交往")
    BULLIED = "bullied", _("被欺负或被孤立")
    SLEEP_ENERGY = "sleep_energy", _("上课没精神、睡眠明显变差")
    GRADES_DROP = "grades_drop", _("成绩或学习状态突然明显下降")
    ANGER = "anger", _("易怒，与人冲突明显增多")
    FAMILY_CHANGE = "family_change", _("家庭冲突或重大变故")
    OTHER = "other", _("其他")
