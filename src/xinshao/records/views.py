"""The psychological growth record page (心理成长档案): for the student's school psych teachers.
Others who may see the student (the school admin, the class teacher, the student and guardian)
get 403: the record holds raw scores."""
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from xinshao.access import scopes
from xinshao.access.routes import CLASS_TEACHER, GUARDIAN, PSYCH_TEACHER, SCHOOL_ADMIN, STUDENTS, access_rule
from xinshao.audit.services import audit_record
from xinshao.records import selectors


@access_rule(allow=PSYCH_TEACHER.of_school,
             forbidden=[SCHOOL_ADMIN.of_school, CLASS_TEACHER.of_class, (STUDENTS | GUARDIAN).own])
@require_GET
def student_record(request, student_id: int):
    student = get_object_or_404(scopes.students_visible_to(request.user).select_related("school"), pk=student_id)
    if not scopes.students_with_results_visible_to(request.user).filter(pk=student.pk).exists():
        raise PermissionDenied
    record = selectors.growth_record(request.user, student)
    audit_record(actor=request.user, action="records.growth_record_viewed", student=student, obj=student,
                 request=request, detail={"results": sum(len(history.points) for history in record.histories)})
    return render(request, "records/student.html", {"record": record, "student": student})
