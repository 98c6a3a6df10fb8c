"""The user's exports: the list, asking for one, a job's page with its progress, the download.

A job is its owner's alone: anyone else's job answers 404 (jobs_of). What goes into the file is
decided by the kind, through the scoping selectors, when the job runs."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from xinshao.access.routes import (BUREAU, CLASS_TEACHER, EVERYONE, GUARDIAN, HOTLINE, PSYCH_TEACHER, SCHOOL_ADMIN,
                                   access_rule)
from xinshao.exports import selectors, services
from xinshao.exports.forms import ExportRequestForm
from xinshao.exports.kinds import ExportRefused, kinds_for

# Those who may ask for some kind: the lists' and dashboards' readers (hotline operators their call
# log), and a guardian the copy of their child's data (retention/exports.py).
EXPORTERS = BUREAU | SCHOOL_ADMIN | PSYCH_TEACHER | CLASS_TEACHER | HOTLINE | GUARDIAN
JOBS_SHOWN = 50


def _require_exporter(user) -> None:
    if not kinds_for(user):
        raise PermissionDenied


def _own_job(request, job_id: int):
    job = selectors.job_of(request.user, job_id)
    if job is None:
        raise Http404
    return job


@access_rule(allow=EXPORTERS, others=403)
@require_GET
def job_list(request):
    _require_exporter(request.user)
    return render(request, "exports/list.html", {"jobs": selectors.jobs_of(request.user)[:JOBS_SHOWN]})


@access_rule(allow=EXPORTERS, others=403, post_only=True)
@require_POST
def job_create(request):
    _require_exporter(request.user)
    form = ExportRequestForm(request.POST)
    problem = _("导出请求不完整，请回到列表页重新点击导出按钮。")
    if form.is_valid():
        try:
            job = services.export_request(user=request.user, kind_name=form.cleaned_data["kind"],
                                          file_format=form.cleaned_data["format"], params=form.params(),
                                          origin=request.build_absolute_uri("/"))
        except ExportRefused as refused:
            problem = str(refused)
        else:
            return redirect("exports:detail", job_id=job.pk)
    messages.error(request, problem)
    return render(request, "exports/list.html", {"jobs": selectors.jobs_of(request.user)[:JOBS_SHOWN]}, status=400)


@access_rule(allow=EVERYONE.own)
@require_GET
def job_detail(request, job_id: int):
    return render(request, "exports/detail.html", {"job": _own_job(request, job_id)})


@access_rule(allow=EVERYONE.own)
@never_cache
@require_GET
def job_progress(request, job_id: int):
    """Polled by the job page (exports/progress.js) until the job is done or failed."""
    job = _own_job(request, job_id)
    return JsonResponse({"state": job.state, "state_label": job.get_state_display(), "rows_done": job.rows_done,
                         "rows_total": job.rows_total, "percent": job.percent, "message": job.message,
                         "finished": job.state not in (job.State.QUEUED, job.State.RUNNING)})


@access_rule(allow=EVERYONE.own)
@never_cache
@require_GET
def job_download(request, job_id: int):
    job = _own_job(request, job_id)
    path = services.export_file(job)
    if path is None:
        return redirect("exports:detail", job_id=job.pk)  # not made yet, failed or expired: the page says which
    services.export_downloaded(job=job, request=request)
    content_type = ("application/pdf" if job.format == job.Format.PDF
                    else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.download_name, content_type=content_type)
