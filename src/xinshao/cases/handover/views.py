"""The transfer page: the old school's admin moves a student to another school of the city and,
when the student has an open case, writes the handover note for the receiving psych teacher.

Only a school admin (roster keeper) uses it (403 otherwise); a student outside their school
answers 404. The school is picked first (the class list follows it, without JavaScript).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xinshao.access import scopes
from xinshao.access.routes import EVERYONE, SCHOOL_ADMIN, access_rule
from xinshao.audit.services import audit_record
from xinshao.cases.handover.forms import TransferForm
from xinshao.cases.handover.selectors import schools_in_city_of
from xinshao.cases.handover.services import student_transfer_with_case
from xinshao.cases.models import Case
from xinshao.core.pages import refused_onto
from xinshao.org.models import SchoolClass


def _chosen_school(request, schools):
    raw = request.POST.get("to_school") or request.GET.get("to_school") or ""
    return schools.filter(pk=int(raw)).first() if raw.isdigit() else None


@access_rule(sensitive=True, allow=SCHOOL_ADMIN.of_school, forbidden=EVERYONE - SCHOOL_ADMIN)
@require_http_methods(["GET", "POST"])
def transfer(request, student_id: int):
    if not scopes.schools_with_roster_rights(request.user).exists():
        raise PermissionDenied
    student = get_object_or_404(scopes.students_changeable_by(request.user), pk=student_id)
    schools = schools_in_city_of(student.school).exclude(pk=student.school_id).order_by("name")
    chosen = _chosen_school(request, schools)
    classes = (SchoolClass.objects.filter(school=chosen).select_related("grade").order_by("grade__level", "name")
               if chosen else SchoolClass.objects.none())
    open_case = Case.objects.filter(student=student).exclude(state=Case.State.CLOSED).first()
    if open_case is not None and request.method == "GET":
        # The page tells the school admin the student has an open case, whatever its level.
        audit_record(actor=request.user, action="cases.transfer_viewed", student=student, obj=open_case,
                     request=request)
    form = TransferForm(request.POST or None, schools=schools, classes=classes, note_required=open_case is not None,
                        initial={"to_school": chosen.pk if chosen else None})
    if request.method == "POST" and form.is_valid():
        done = _transferred(request, form, student)
        if done:
            return done
    status = 400 if form.errors else 200
    return render(request, "cases/handover/transfer.html", {
        "student": student, "form": form, "chosen": chosen, "open_case": open_case,
        "receiving_owner": scopes.alert_owners_at(chosen).first() if chosen and open_case else None,
    }, status=status)


def _transferred(request, form, student):
    data = form.cleaned_data
    result = refused_onto(form, lambda: student_transfer_with_case(
        student=student, to_school=data["to_school"], to_class=data["to_class"], actor=request.user,
        reason=data["reason"], handover_note=data["handover_note"], request=request))
    if result is None:
        return None
    if result.case is not None:
        messages.success(request, _("转学已办理，个案已交给%(school)s的心理教师。本校写下的记录仍可在“已转出个案”中查看。")
                         % {"school": data["to_school"].name})
        return redirect("cases:written_by_school")
    messages.success(request, _("转学已办理。"))
    return redirect("people:student_list")
