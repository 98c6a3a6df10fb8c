"""Run the largest export in-process against the current database; print rows, seconds and peak memory.

The biggest list anyone may take out of the city is the bureau psych centre's alert list (every
alert it sees city-wide, in all states); the file is written as the background job writes it
(openpyxl's write-only workbook, rows streamed from the database in chunks). Run it after
`bench/seed_city.py`-sized seeding on PostgreSQL (goal: peak RSS under 500 MB):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinshao .venv/bin/python bench/export_memory.py
    .venv/bin/python bench/export_memory.py --kind roster --as <a psych teacher's username>

Without DATABASE_URL it uses the embedded database (XINSHAO_DATA_DIR). The file is removed afterwards.
"""
import argparse
import os
import resource
import sys
import time


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="alerts", help="export kind (default: alerts)")
    parser.add_argument("--as", dest="username", help="who asks (default: the first bureau psych centre user)")
    parser.add_argument("--query", default="state=", help="the list page's query string (default: every state)")
    parser.add_argument("--format", default="xlsx", choices=["xlsx", "pdf"])
    options = parser.parse_args()

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinshao.settings")
    django.setup()
    from django.http import QueryDict

    from xinshao.accounts.models import User
    from xinshao.accounts.roles import Role
    from xinshao.exports import services
    from xinshao.exports.kinds import ExportRefused
    from xinshao.exports.models import ExportJob

    if options.username:
        user = User.objects.filter(username=options.username).first()
        if user is None:
            sys.exit(f"--as {options.username}: no such user in this database")
    else:
        user = User.objects.filter(role_assignments__role=Role.BUREAU_PSYCH_CENTRE,
                                   role_assignments__is_active=True).order_by("id").first()
        if user is None:
            sys.exit("no bureau psych centre user in this database: seed a city first, or give --as")
    before = peak_mb()
    started = time.perf_counter()
    try:
        job = services.export_request(user=user, kind_name=options.kind, file_format=options.format,
                                      params=QueryDict(options.query).dict(), origin="http://localhost/")
    except ExportRefused as refused:
        sys.exit(f"--kind {options.kind} as {user.username}: {refused}")
    services.export_run(job.pk)  # already run when queued in-process; with a broker, run it here
    seconds = time.perf_counter() - started
    job = ExportJob.objects.get(pk=job.pk)
    path = services.export_file(job)
    size = path.stat().st_size if path else 0
    print(f"{options.kind} as {user.username}: {job.state}, {job.rows_done} rows, {seconds:.1f} s, "
          f"{size / 1024 / 1024:.1f} MB file; peak RSS {peak_mb():.0f} MB (before the export {before:.0f} MB)"
          + (f"; {job.message}" if job.message else ""), flush=True)
    if path:
        path.unlink()
    ExportJob.objects.filter(pk=job.pk).delete()


if __name__ == "__main__":
    main()
