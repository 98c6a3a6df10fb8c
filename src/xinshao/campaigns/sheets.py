"""Class sheets: a PDF the teacher hands out in class, one line per student with their access
code and a QR code that opens the questionnaire with the code filled in.

Codes are credentials, so each printed class is an audit entry, and a student whose guardian
has not allowed the screening gets no code on the sheet.
"""
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from xinshao.access import scopes
from xinshao.audit.services import AuditEvent, audit_record_many
from xinshao.campaigns.codes import code_display
from xinshao.campaigns.models import Assignment, Campaign
from xinshao.campaigns.rules import consent_allows
from xinshao.campaigns.selectors import latest_consent_decision


@dataclass(frozen=True)
class SheetLine:
    name: str
    student_number: str
    code: str = ""  # grouped for reading; empty when the student does not take part
    qr_svg: str = ""


@dataclass(frozen=True)
class ClassSheet:
    school_class: object
    lines: list[SheetLine]


def _line(assignment: Assignment, start_url: str, campaign: Campaign) -> SheetLine:
    student = assignment.student
    if not consent_allows(campaign, assignment.consent):
        return SheetLine(student.name, student.student_number)
    qr = segno.make(f"{start_url}?code={assignment.code}", error="m")
    return SheetLine(student.name, student.student_number, code_display(assignment.code),
                     qr.svg_inline(scale=2, border=1, omitsize=True))


def class_sheets(user, campaign: Campaign, classes, start_url: str) -> list[ClassSheet]:
    """The lines of each class, only for students whose names this user may see."""
    assignments = (
        Assignment.objects.filter(campaign=campaign, student__in=scopes.students_visible_to(user),
                                  student__school_class__in=classes)
        .annotate(consent=latest_consent_decision()).select_related("student")
        .order_by("student__student_number")
    )
    by_class = {c.pk: [] for c in classes}
    for assignment in assignments:
        by_class[assignment.student.school_class_id].append(_line(assignment, start_url, campaign))
    return [ClassSheet(c, by_class[c.pk]) for c in classes if by_class[c.pk]]


def sheets_print(*, campaign: Campaign, classes, actor, request) -> bytes:
    """The PDF of the classes' sheets; each printed class is recorded in the audit trail."""
    start_url = request.build_absolute_uri(reverse("respond:start"))
    sheets = class_sheets(actor, campaign, classes, start_url)
    html = render_to_string("campaigns/staff/sheet_pdf.html", {
        "campaign": campaign, "sheets": sheets, "start_url": start_url, "printed_by": actor,
        "printed_at": timezone.localtime(),
    })
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit_record_many(actor=actor, request=request, events=[
        AuditEvent(action="campaign.sheets_print", object_type=Campaign._meta.label_lower, object_id=str(campaign.pk),
                   detail={"class": sheet.school_class.pk, "count": sum(1 for line in sheet.lines if line.code)})
        for sheet in sheets
    ])
    return pdf
