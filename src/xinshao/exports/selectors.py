"""Reads of export jobs: a job is its owner's alone."""
from django.db.models import QuerySet

from xinshao.exports.models import ExportJob


def jobs_of(user) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(requested_by=user)


def job_of(user, job_id: int) -> ExportJob | None:
    return jobs_of(user).filter(pk=job_id).first()
