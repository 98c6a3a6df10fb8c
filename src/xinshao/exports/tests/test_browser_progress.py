"""The job page of an export still queued follows it without a reload, then offers the download."""
import pytest
from playwright.sync_api import expect

from xinshao.accounts.tests.test_browser_sign_in import _sign_in
from xinshao.exports import services
from xinshao.testing import build_city

pytestmark = pytest.mark.browser


def test_a_queued_exports_page_shows_the_download_link_once_the_job_is_done(
        transactional_db, live_server, desktop_page, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    city = build_city()
    job = services.export_request(user=city.liu_a, kind_name="roster", file_format="xlsx", params={}, origin="/")
    # Outside a request in this test the job ran at once; put it back in the queue to watch it run.
    job.__class__.objects.filter(pk=job.pk).update(state="queued", file_name="")
    page = desktop_page
    _sign_in(page, live_server.url, "liu_a")
    page.goto(f"{live_server.url}/exports/{job.pk}/")
    expect(page.get_by_role("status")).to_contain_text("排队中")
    link = page.get_by_role("link", name="下载 Excel 文件")
    expect(link).to_be_hidden()

    services.export_run(job.pk)

    expect(link).to_be_visible(timeout=10_000)
    expect(page.get_by_role("status")).to_contain_text("已完成")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
