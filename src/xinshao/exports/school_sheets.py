"""A whole school's class code sheets as one PDF, made in the background: each class is rendered
on its own (so the job's progress moves class by class), then the pages are put together. The
lines come from campaigns/sheets.py, with the same scope: only classes whose names the user may
see, and no code for a student whose guardian has not allowed the screening. Codes are
credentials: every class printed is an audit entry, as when one class's sheet is printed."""
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from xinshao.access import scopes
from xinshao.audit.services import AuditEvent, audit_record_many
from xinshao.campaigns.models import Campaign
from xinshao.campaigns.sheets import class_sheets
from xinshao.exports.kinds import ExportRefused, PdfMade, export_kind, number_of
from xinshao.exports.lists import campaign_visible
from xinshao.org.models import School


def _printable(user, params) -> tuple[Campaign, School, list]:
    campaign = campaign_visible(user, params)
    school = scopes.schools_visible_to(user).filter(pk=number_of(params.get("school"))).first()
    if school is None:
        raise ExportRefused(_("找不到这所学校，或您无权打印它的答题码单。"))
    classes = list(scopes.campaign_classes_for_sheets(user, campaign).filter(school=school))
    if not classes:
        raise ExportRefused(_("这所学校没有您可以打印答题码单的班级。"))
    return campaign, school, classes


def _clean(user, params) -> dict:
    campaign, school, _classes = _printable(user, params)
    return {"campaign": campaign.pk, "school": school.pk}


def _titled(params) -> str:
    campaign = Campaign.objects.filter(pk=params.get("campaign")).values_list("name", flat=True).first()
    school = School.objects.filter(pk=params.get("school")).values_list("name", flat=True).first()
    return _("答题码单：%(campaign)s · %(school)s") % {"campaign": campaign, "school": school}


@export_kind("school_sheets", title=gettext_lazy("全校答题码单"), may=scopes.can_read_roster, clean=_clean,
             titled=_titled, pdf_only=True, button=gettext_lazy("后台生成全校答题卡（PDF，显示进度）"))
def school_sheets_pdf(user, params, progress) -> PdfMade:
    campaign, _school, classes = _printable(user, params)
    origin = params.get("origin") or "http://localhost/"
    start_url = origin.rstrip("/") + reverse("respond:start")
    printed_at = timezone.localtime()
    documents, students, events = [], set(), []
    for done, school_class in enumerate(classes, start=1):
        for sheet in class_sheets(user, campaign, [school_class], start_url):
            html = render_to_string("campaigns/staff/sheet_pdf.html", {
                "campaign": campaign, "sheets": [sheet], "start_url": start_url, "printed_by": user,
                "printed_at": printed_at,
            })
            documents.append(HTML(string=html, base_url=origin).render())
            coded = sum(1 for line in sheet.lines if line.code)
            students.update(sheet_student_ids(user, campaign, school_class))
            events.append(AuditEvent(action="campaign.sheets_print", object_type=Campaign._meta.label_lower,
                                     object_id=str(campaign.pk), detail={"class": school_class.pk, "count": coded}))
        progress(done, len(classes))
    if not documents:
        raise ExportRefused(_("这所学校没有您可以打印答题码单的班级。"))
    pages = [page for document in documents for page in document.pages]
    content = documents[0].copy(pages).write_pdf()
    audit_record_many(actor=user, events=events)
    return PdfMade(content=content, rows=len(classes), student_ids=students)


def sheet_student_ids(user, campaign: Campaign, school_class) -> list[int]:
    return list(campaign.assignments.filter(student__school_class=school_class,
                                            student__in=scopes.students_visible_to(user))
                .values_list("student_id", flat=True))
