import io

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from xinshao.access.routes import SCHOOL_ADMIN, access_rule
from xinshao.access.scopes import schools_with_roster_rights
from xinshao.org.grades import SCHOOL_KIND_LEVELS
from xinshao.rosters.columns import column_guide
from xinshao.rosters.forms import RosterUploadForm
from xinshao.rosters.models import ImportRun
from xinshao.rosters.selectors import recent_runs, roster_school, school_run
from xinshao.rosters.services import roster_import
from xinshao.rosters.template_file import roster_template


@access_rule(allow=SCHOOL_ADMIN, others=403)
@require_GET
def choose_school(request):
    """The menu's entry: straight to the school when the user keeps one school's roster."""
    schools = list(schools_with_roster_rights(request.user))
    if not schools:
        raise PermissionDenied
    if len(schools) == 1:
        return redirect("rosters:school_import", code=schools[0].code)
    return render(request, "rosters/choose_school.html", {"schools": schools})


@access_rule(allow=SCHOOL_ADMIN.of_school)
@require_http_methods(["GET", "POST"])
def school_import(request, code: str):
    school = roster_school(request.user, code)
    form = RosterUploadForm(request.POST, request.FILES) if request.method == "POST" else RosterUploadForm()
    if form.is_valid():
        upload = form.cleaned_data["file"]
        run = roster_import(school=school, file_name=upload.name, content=upload.read(), actor=request.user,
                            source=ImportRun.Source.WEB, dry_run=form.cleaned_data["dry_run"], request=request)
        return redirect("rosters:run", code=school.code, run_id=run.pk)
    return render(request, "rosters/import.html", {
        "school": school,
        "form": form,
        "guide": column_guide(SCHOOL_KIND_LEVELS[school.kind]),
        "runs": recent_runs(school),
    }, status=400 if form.is_bound else 200)


@access_rule(allow=SCHOOL_ADMIN.of_school)
@require_GET
def template_download(request, code: str):
    school = roster_school(request.user, code)
    content = roster_template(school_name=school.name, levels=SCHOOL_KIND_LEVELS[school.kind])
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"学生名册模板-{school.code}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@access_rule(allow=SCHOOL_ADMIN.of_school)
@require_GET
def run_detail(request, code: str, run_id: int):
    school = roster_school(request.user, code)
    run = school_run(school, run_id)
    return render(request, "rosters/run.html", {"school": school, "run": run, "problems": run.problems()})
