"""R33, issue 10 point 4: after the campaign closes, the pages of the answer tables hold the
final sums and nothing else.

While collecting, each answer updates the tally rows in the transaction that sets the
respondent's flag; the old row versions (dead tuples, each an intermediate sum, with the
xmin/xmax of the answers around it) stay in the heap pages until a vacuum. With them and
the flags' xmin a database reader could subtract one person's answers. Closing must leave
no such page. Read with `pageinspect` (PostgreSQL only)."""

import pytest
from django.db import connection

from survey360 import services
from survey360.models import AnonymousComment, AnswerTally, Respondent
from tests.survey360.conftest import IN_COLLECTING, answer, approved_year_schedule, subject_of

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pageinspect reads PostgreSQL heap pages"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _heap_tuples(model) -> list[dict]:
    """Every tuple on every page of the table, live or dead, with its columns decoded."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute("SELECT attname, atttypid::regtype::text FROM pg_attribute WHERE attrelid = %s::regclass "
                       "AND attnum > 0 ORDER BY attnum", [table])
        attributes = cursor.fetchall()
        cursor.execute("SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table])
        pages = cursor.fetchone()[0]
        tuples = []
        for page in range(pages):
            cursor.execute(
                "SELECT lp, lp_flags, t_xmin::text, t_xmax::text, "
                "tuple_data_split(%s::regclass, t_data, t_infomask, t_infomask2, t_bits) "
                "FROM heap_page_items(get_raw_page(%s, %s))", [table, table, page])
            for lp, flags, xmin, xmax, data in cursor.fetchall():
                row = {"page": page, "lp": lp, "lp_flags": flags, "xmin": xmin, "xmax": xmax}
                for (name, kind), raw in zip(attributes, data or [], strict=False):
                    if raw is not None and kind in ("integer", "bigint"):
                        row[name] = int.from_bytes(bytes(raw), "little", signed=True)
                tuples.append(row)
    return tuples


def _answer_everyone(campaign):
    """Every respondent of every person answers, each with other values."""
    for base, subject in enumerate(campaign.subjects.order_by("pk"), start=1):
        subject = subject_of(campaign, subject.employee)
        for i, r in enumerate(subject.respondents.select_related("employee").order_by("employee__last_name")):
            answer(subject, r.employee, (base + i) % 6, comment=f"мнение {base}-{i}")


def test_R33_after_closing_the_tally_pages_hold_only_the_final_sums():
    import time_machine

    from tests.conftest import make_org

    with time_machine.travel(IN_COLLECTING, tick=False):
        org = make_org(2)
        schedule = approved_year_schedule(org)
        campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
        services.open_campaign(campaign=campaign, by=org.chief.user)
        _answer_everyone(campaign)
        collecting = _heap_tuples(AnswerTally)
        services.close_campaign(campaign=campaign, by=org.chief.user)

    final = {(t.subject_id, t.statement_id): (t.total, t.count) for t in AnswerTally.objects.all()}
    assert len(final) > 50 and 0 not in {v[1] for v in final.values()}, "every statement answered"
    # while collecting the pages did hold more than the final rows (what closing must erase)
    assert len(collecting) > len(final)

    tuples = _heap_tuples(AnswerTally)
    assert len(tuples) == len(final), "one tuple per row: no dead or older version on any page"
    assert all(t["lp_flags"] == 1 and t["xmax"] == "0" for t in tuples)
    on_pages = {(t["subject_id"], t["statement_id"]): (t["total"], t["count"]) for t in tuples}
    assert on_pages == final, "every value on the pages is a final sum"
    # one transaction wrote them all (the closing one), in the canonical order
    assert len({t["xmin"] for t in tuples}) == 1
    in_page_order = [(t["subject_id"], t["statement_id"]) for t in sorted(tuples, key=lambda t: (t["page"], t["lp"]))]
    assert in_page_order == sorted(in_page_order)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {Respondent._meta.db_table} WHERE answered")
        flags = {row[0] for row in cursor.fetchall()}
    assert not flags & {t["xmin"] for t in tuples}, "no flag shares a transaction with a tally row"


def test_R33_after_closing_the_comment_pages_hold_only_the_final_pools():
    import time_machine

    from tests.conftest import make_org

    with time_machine.travel(IN_COLLECTING, tick=False):
        org = make_org(2)
        schedule = approved_year_schedule(org)
        campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
        services.open_campaign(campaign=campaign, by=org.chief.user)
        _answer_everyone(campaign)
        services.close_campaign(campaign=campaign, by=org.chief.user)

    rows = AnonymousComment.objects.count()
    tuples = _heap_tuples(AnonymousComment)
    assert len(tuples) == rows == campaign.subjects.count()
    assert all(t["lp_flags"] == 1 and t["xmax"] == "0" for t in tuples)
    assert len({t["xmin"] for t in tuples}) == 1
    assert sorted(t["subject_id"] for t in tuples) == sorted(AnonymousComment.objects.values_list("subject_id", flat=True))
