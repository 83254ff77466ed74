"""R11.1, R11.2 journey: a staff member opens their result from «Мои оценки» and acknowledges
it; the chief specialist sees who did and when, and records a telephonogram with a scanned
proof for a colleague evaluated without participation; a colleague cannot open the result."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import Acknowledgement
from tests.appraisal.ack_helpers import PDF, approved_quarter, result_for
from tests.browser.conftest import login, logout, shot, url


def test_R11_staff_acknowledges_and_chief_records_a_notice(page, live_server, browser_org, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    org = browser_org
    schedule = approved_quarter(org, 2026, 3)
    now = timezone.now()
    present = result_for(schedule, org.staff[0], completed_at=now - dt.timedelta(minutes=5), score="4.25")
    absent = result_for(schedule, org.staff[1], completed_at=now - dt.timedelta(minutes=5), without=True)
    today = timezone.localdate().strftime("%d.%m.%Y")

    # The staff member finds the result in «Мои оценки» and acknowledges it.
    login(page, live_server, org.staff[0].user.username)
    page.get_by_role("link", name="Ознакомиться").first.click()
    expect(page.locator("h1")).to_contain_text("Результат оценки")
    expect(page.locator("#result-value")).to_contain_text("4,25")
    shot(page, "R11_01_result_before")
    page.locator("#acknowledge").click()
    expect(page.locator("#ack-done")).to_contain_text(today)
    expect(page.locator("#acknowledge")).to_have_count(0)
    shot(page, "R11_02_result_acknowledged")
    logout(page)

    # A colleague cannot open it.
    login(page, live_server, org.staff[1].user.username)
    response = page.goto(url(live_server, f"/results/{present.pk}/"))
    assert response.status == 404
    logout(page)

    # The chief specialist sees both lines on the home page.
    login(page, live_server, org.chief.user.username)
    expect(page.locator(f"#ack-row-{present.pk}")).to_contain_text("в срок")
    expect(page.locator(f"#ack-row-{absent.pk}")).to_contain_text("ожидается")
    shot(page, "R11_03_chief_home")

    # R11.2: a telephonogram with its scan for the colleague evaluated without participation.
    page.locator(f"#ack-row-{absent.pk} a").first.click()
    scan = tmp_path / "телефонограмма.pdf"
    scan.write_bytes(PDF)
    page.locator("select[name=channel]").select_option("telephonogram")
    page.locator("input[name=reference]").fill("телефонограмма № 17")
    page.locator("input[name=scan]").set_input_files(str(scan))
    page.locator("#notice-form button[type=submit]").click()
    expect(page.locator("#ack-done")).to_contain_text("телефонограмма")
    expect(page.locator("#ack-proof")).to_contain_text("телефонограмма № 17")
    shot(page, "R11_04_notice_recorded")
    served = page.request.get(url(live_server, f"/results/{absent.pk}/notice/scan/"))
    assert served.status == 200 and served.body() == PDF
    assert served.headers["x-content-type-options"] == "nosniff"
    assert Acknowledgement.objects.get(result=absent).channel == "telephonogram"
