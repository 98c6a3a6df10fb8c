"""A realistic school mental-health service checklist, used by the demo and by tests."""

# (category, text, evidence required)
SCHOOL_SERVICE_CHECKLIST = [
    ("课程", "心理健康教育课程开设：各年级按要求开设心理健康教育课，有课表和教案", True),
    ("队伍", "专职心理教师配备：按标准配备专职心理健康教育教师，兼职教师有培训记录", True),
    ("场所", "心理辅导室建设与开放：心理辅导室设施达标，开放时间公示并按时开放", True),
    ("档案", "学生心理健康档案：建立学生心理健康档案，保管规范、查阅有记录", True),
    ("预警与危机", "危机干预预案：有心理危机干预预案，分工明确，每年至少演练一次", True),
    ("家校", "家校协同：定期开展家长心理健康教育，家访和家长会谈有记录", False),
    ("转介", "转介机制：与精神卫生机构建立转介渠道，转介和回访有记录", True),
    ("教师", "教师心理健康：关注教师心理健康，开展减压和心理支持活动", False),
    ("测评", "心理测评：按要求组织学生心理健康测评，结果保密、有跟进", False),
]


def seed_checklist(name: str = "学校心理健康服务督查清单"):
    from xinshao.governance.models import Checklist, ChecklistItem

    checklist, made = Checklist.objects.get_or_create(
        name=name, defaults={"description": "心理健康教育课程、队伍、场所、档案、危机干预、家校协同、转介与教师心理健康"})
    if made:
        ChecklistItem.objects.bulk_create([
            ChecklistItem(checklist=checklist, position=i, category=c, text=t, evidence_required=e)
            for i, (c, t, e) in enumerate(SCHOOL_SERVICE_CHECKLIST, start=1)])
    return checklist
