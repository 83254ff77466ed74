"""Issue 12: the ranking page of an evaluator with 300 staff stays usable — under 250 KB of
HTML (it weighed 870 KB with a six-option <select> and a <textarea> rendered per cell), and
the rows still sort: by name and by mean in the browser (static/js/ranking.js reads each
row's data-name and data-mean) and on the server (?sort=mean)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from appraisal import bench_org
from ranking.models import PARAMETER_CODES

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr[^>]* data-sheet="(\d+)" data-name="([^"]*)" data-mean="([^"]*)"')


@pytest.fixture
def big_page(client):
    built = bench_org.build(staff=300, history=False, survey=False)[0]
    client.force_login(built.users["head"])
    url = reverse("ranking:evaluate", args=[built.schedules["current"].period_id])
    with time_machine.travel(dt.datetime(2026, 10, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        yield client, url


def test_R29_ranking_page_for_300_staff_is_under_250_KB_and_keeps_every_control(big_page):
    client, url = big_page
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < 250 * 1024, f"{len(response.content) / 1024:.0f} KB"
    rows = ROW.findall(html)
    assert len(rows) == 301  # the 300 staff and the chief specialist, all evaluated by the head
    # every draft cell is there for ranking.js to clone its <select> and comment into …
    assert html.count('<td class="score" data-v=') == 301 * len(PARAMETER_CODES)
    assert html.count('<template id="score-control">') == 1
    # … with the points saved in the draft (every other sheet was scored)
    assert html.count('data-v=""') == 150 * len(PARAMETER_CODES)


def test_R29_ranking_page_for_300_staff_still_sorts(big_page):
    client, url = big_page
    by_name = ROW.findall(client.get(url).content.decode())
    by_mean = ROW.findall(client.get(f"{url}?sort=mean").content.decode())
    html = client.get(url).content.decode()
    # the browser sorts by these attributes (ranking.js) from the two sort links
    assert 'data-sort="name"' in html and 'data-sort="mean"' in html and "js/ranking.js" in html
    assert all(name for _pk, name, _mean in by_name)
    assert [name for _pk, name, _mean in by_name] == sorted(name for _pk, name, _mean in by_name)
    means = [Decimal(mean) for _pk, _name, mean in by_mean if mean]
    assert len(means) == 151 and means == sorted(means, reverse=True)
    assert all(not mean for _pk, _name, mean in by_mean[len(means):])  # the unscored come last
    assert {pk for pk, _n, _m in by_mean} == {pk for pk, _n, _m in by_name}
