"""The roster pages: who may use them, and what an upload does."""
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from xinshao.audit.models import AuditEntry
from xinshao.people.models import Student
from xinshao.rosters.models import ImportRun
from xinshao.rosters.services import roster_import
from xinshao.rosters.tests.rosterfiles import GOOD_ROWS, xlsx_bytes
from xinshao.rosters.tests.test_mistakes import MISTAKES

EVERYONE = {"bai", "xin", "fen", "du", "re", "song_a", "song_b", "liu_a", "wang_b", "zhang_a1", "qian_b1",
            "lin_user", "chen_user", "chen_ma_user", "yi", "gao_a"}


def upload(client, code, content, name="roster.xlsx", *, follow=False, **fields):
    return client.post(reverse("rosters:school_import", kwargs={"code": code}),
                       {"file": SimpleUploadedFile(name, content), **fields}, follow=follow)


@pytest.fixture
def run_a(city):
    return roster_import(school=city.school_a, file_name="a.xlsx", content=xlsx_bytes(GOOD_ROWS), actor=city.song_a,
                         source=ImportRun.Source.WEB)


def school_pages(run_a):
    """Each school-specific page of school A, and who may open it."""
    return [
        reverse("rosters:school_import", kwargs={"code": "A001"}),
        reverse("rosters:template", kwargs={"code": "A001"}),
        reverse("rosters:run", kwargs={"code": "A001", "run_id": run_a.pk}),
    ]


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_only_school_a_admin_opens_school_a_roster_pages_and_the_rest_get_404(city, client_as, run_a, username):
    client = client_as(getattr(city, username))
    for url in school_pages(run_a):
        assert client.get(url).status_code == (200 if username == "song_a" else 404), url


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_the_roster_menu_entry_leads_a_school_admin_to_their_school_and_refuses_others(city, client_as, username):
    response = client_as(getattr(city, username)).get(reverse("rosters:import"))

    if username in {"song_a", "song_b"}:
        code = "A001" if username == "song_a" else "B001"
        assert response.status_code == 302
        assert response["Location"] == reverse("rosters:school_import", kwargs={"code": code})
    else:
        assert response.status_code == 403


def test_a_school_admin_of_several_schools_chooses_one(city, client_as):
    city.song_a.role_assignments.create(role="school_admin", school=city.school_b)

    response = client_as(city.song_a).get(reverse("rosters:import"))

    assert response.status_code == 200
    assert {school.code for school in response.context["schools"]} == {"A001", "B001"}


def test_anonymous_visitors_are_sent_to_sign_in(city, client):
    for url in (reverse("rosters:import"), reverse("rosters:school_import", kwargs={"code": "A001"})):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_run_of_another_school_is_not_found_under_ones_own_school(city, client_as, run_a):
    url = reverse("rosters:run", kwargs={"code": "B001", "run_id": run_a.pk})

    assert client_as(city.song_b).get(url).status_code == 404


def test_the_import_page_shows_the_form_the_template_link_and_recent_imports(city, client_as, run_a):
    response = client_as(city.song_a).get(reverse("rosters:school_import", kwargs={"code": "A001"}))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    assert reverse("rosters:template", kwargs={"code": "A001"}) in page
    assert "初一、初二、初三" in page  # the grades this school may list
    assert list(response.context["runs"]) == [run_a]


def test_an_upload_imports_and_shows_the_summary(city, client_as):
    client = client_as(city.song_a)

    response = upload(client, "A001", xlsx_bytes(GOOD_ROWS))

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rosters:run", kwargs={"code": "A001", "run_id": run.pk})
    assert (run.actor, run.source, run.outcome) == (city.song_a, "web", "imported")
    assert Student.objects.filter(school=city.school_a).count() == 4
    entries = AuditEntry.objects.filter(detail__import_run=run.pk)
    assert entries.count() == 3 and {e.actor_id for e in entries} == {city.song_a.pk}
    assert {e.path for e in entries} == {reverse("rosters:school_import", kwargs={"code": "A001"})}
    page = client.get(response["Location"]).content.decode()
    assert "导入成功" in page and "初一3班" in page and "初二1班" in page


def test_an_upload_with_mistakes_lists_each_and_imports_nothing(city, client_as):
    client = client_as(city.song_a)

    response = upload(client, "A001", xlsx_bytes([values for values, _ in MISTAKES]), follow=True)

    page = response.content.decode()
    expected = [mistake for _, mistakes in MISTAKES for mistake in mistakes]
    assert response.status_code == 200
    assert len(response.context["problems"]) == len(expected)
    assert "没有“2013-02-30”这一天" in page and "D · 出生日期" in page
    assert Student.objects.filter(school=city.school_a).count() == 2
    assert not AuditEntry.objects.filter(action__startswith="student.import").exists()


def test_a_dry_run_from_the_page_writes_no_student(city, client_as):
    response = upload(client_as(city.song_a), "A001", xlsx_bytes(GOOD_ROWS), dry_run="on", follow=True)

    assert "检查通过" in response.content.decode()
    assert Student.objects.filter(school=city.school_a).count() == 2


@pytest.mark.parametrize("name,content", [
    ("roster.pdf", b"%PDF-1.4 not a roster"), ("roster.xlsx", b"PK\x03\x04 broken"), ("roster.csv", b""),
    ("roster.csv", b"\xff\xfe\x00\x00garbage"), ("roster.xlsx", "学号,姓名\n1,2".encode("gbk")),
])
def test_bad_files_are_answered_with_a_report_never_an_error_page(city, client_as, name, content):
    response = upload(client_as(city.song_a), "A001", content, name, follow=True)

    assert response.status_code == 200
    assert response.context["run"].outcome == ImportRun.Outcome.REJECTED
    assert len(response.context["problems"]) >= 1


def test_a_post_without_a_file_shows_the_form_again(city, client_as):
    response = client_as(city.song_a).post(reverse("rosters:school_import", kwargs={"code": "A001"}), {})

    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert not ImportRun.objects.exists()


def test_a_school_b_admin_cannot_import_into_school_a_by_guessing_the_url(city, client_as):
    response = upload(client_as(city.song_b), "A001", xlsx_bytes(GOOD_ROWS))

    assert response.status_code == 404
    assert not ImportRun.objects.exists() and Student.objects.filter(school=city.school_a).count() == 2


@pytest.mark.parametrize("username", ["liu_a", "zhang_a1", "bai", "chen_user"])
def test_staff_without_roster_rights_cannot_post_a_roster(city, client_as, username):
    response = upload(client_as(getattr(city, username)), "A001", xlsx_bytes(GOOD_ROWS))

    assert response.status_code == 404 and not ImportRun.objects.exists()


def test_the_page_and_its_report_read_in_english(city, client_as):
    client = client_as(city.song_a)
    client.cookies.load({"django_language": "en"})

    # LocaleMiddleware leaves the request's language active in this thread; the override
    # puts the one before back, so later tests do not run in English.
    with translation.override(settings.LANGUAGE_CODE):
        page = client.get(reverse("rosters:school_import", kwargs={"code": "A001"})).content.decode()
        report = upload(client, "A001", xlsx_bytes([values for values, _ in MISTAKES]), follow=True).content.decode()

    assert "Roster import" in page and "Download the roster template" in page
    assert "There is no such day as 2013-02-30" in report and "nothing in the file was imported" in report


def test_the_template_has_the_header_row_lists_and_an_instructions_sheet(city, client_as):
    response = client_as(city.song_a).get(reverse("rosters:template", kwargs={"code": "A001"}))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    roster, instructions = workbook.worksheets
    assert [cell.value for cell in roster[1]] == ["学号", "姓名", "性别", "出生日期", "年级", "班级", "监护人姓名",
                                                 "监护人电话", "身份证号"]
    assert roster.max_row == 1  # no example row that could be imported by mistake
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in roster.data_validations.dataValidation}
    assert lists == {"C2": '"男,女"', "E2": '"初一,初二,初三"'}
    assert "A2026001" in [cell.value for row in instructions.iter_rows() for cell in row]


def test_the_template_passes_its_own_import_once_filled_in(city, client_as):
    content = b"".join(client_as(city.song_a).get(reverse("rosters:template", kwargs={"code": "A001"}))
                       .streaming_content)
    workbook = load_workbook(io.BytesIO(content))
    for values in GOOD_ROWS:
        workbook["名册"].append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)

    run = roster_import(school=city.school_a, file_name="filled.xlsx", content=buffer.getvalue(), actor=city.song_a,
                        source=ImportRun.Source.WEB)

    assert run.errors == [] and run.created_count == 2


def test_the_console_command_is_spelled_with_a_hyphen_and_its_help_states_the_rules(tmp_path):
    env = {**os.environ, "XINSHAO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xinshao.settings"}
    result = subprocess.run([sys.executable, "-m", "xinshao.cli", "help", "import-roster"], capture_output=True,
                            text=True, env=env, timeout=60)

    assert result.returncode == 0, result.stderr
    assert "--school CODE" in result.stdout and "nothing is imported" in result.stdout
