"""Issue 10, point 2 for chapter 2: every KCI service validates digits, lengths and counts as
the model stores them, refuses in Russian naming the rule, and saves nothing when it refuses.

Run on SQLite and on PostgreSQL (DATABASE_URL): SQLite keeps a number that does not fit and
every page reading it back fails for good; PostgreSQL answers such a number or a text too long
for its column with a DataError (a server error).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from kci import services
from kci.forms import ActualForm, AmendmentForm, KciForm
from kci.models import AdmissibleScoreRow, Kci, KciScoreLine, KciScoreSheet
from tests.input_strategies import any_date, any_text, any_value, limits_settings, numbers_as_text
from tests.kci.conftest import kci_data, plan_with_kcis, posted_plan, sent_sheet

D = Decimal
KCI_FIELDS = ["title", "indicator_kind", "unit", "target", "deadline", "resources", "document_kind", "document_name"]


def _kci_state(kci):
    return tuple(Kci.objects.filter(pk=kci.pk).values_list(*KCI_FIELDS).get())


# --- the values of the issue, one by one -------------------------------------------------------


@pytest.mark.parametrize("target, message", [
    ("1e20", "не больше 999 999 999 999,99"),
    ("1000000000000", "не больше 999 999 999 999,99"),
    ("0.000000001", "не более 2 знаков после запятой"),
    ("10^12", "число"),
])
def test_R24_target_that_the_column_cannot_store_is_refused_and_pages_keep_working(client, org, entry, target,
                                                                                   message):
    plan = plan_with_kcis(org, entry)
    kci = plan.kcis.first()
    before = _kci_state(kci)
    with pytest.raises(ValidationError) as refused:
        services.save_kci(plan=plan, by=org.chairman.user, data=kci_data(target=target,
                          deadline=entry.schedule.period.end.isoformat()), kci=kci)
    assert message in " ".join(refused.value.messages).replace("\xa0", " ")
    assert "п. 24" in " ".join(refused.value.messages)
    assert _kci_state(kci) == before
    client.force_login(org.chairman.user)
    assert client.get(reverse("kci:plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("kci:plan_pdf", args=[plan.pk])).status_code == 200


def test_R24_title_of_100000_characters_refused_not_cut(org, entry):
    plan = plan_with_kcis(org, entry)
    kci = plan.kcis.first()
    before = _kci_state(kci)
    with pytest.raises(ValidationError, match="не длиннее 500 символов"):
        services.save_kci(plan=plan, by=org.chairman.user, kci=kci,
                          data=kci_data(title="К" * 100_000, deadline=entry.schedule.period.end.isoformat()))
    assert _kci_state(kci) == before


def test_R24_resources_text_over_the_service_limit_refused(org, entry):
    plan = plan_with_kcis(org, entry)
    with pytest.raises(ValidationError, match=f"не длиннее {services.TEXT_LIMIT} символов"):
        services.save_kci(plan=plan, by=org.chairman.user, data=kci_data(
            resources="р" * (services.TEXT_LIMIT + 1), deadline=entry.schedule.period.end.isoformat()))
    assert plan.kcis.count() == 3
    # At the limit it is kept whole.
    kci = services.save_kci(plan=plan, by=org.chairman.user, data=kci_data(
        resources="р" * services.TEXT_LIMIT, deadline=entry.schedule.period.end.isoformat()))
    kci.refresh_from_db()
    assert len(kci.resources) == services.TEXT_LIMIT


@pytest.mark.parametrize("actual, message", [
    ("1000000000000", "не больше 999 999 999 999,99"),
    ("1e12", "не больше 999 999 999 999,99"),
    ("0.001", "не более 2 знаков после запятой"),
    ("10^12", "число"),
])
def test_R22_6_actual_value_that_the_column_cannot_store_is_refused(client, org, entry, actual, message):
    plan = posted_plan(org, entry)
    sheet = services.ensure_sheet(plan=plan, by=org.chief.user)
    line = sheet.lines.order_by("kci__number").first()
    with pytest.raises(ValidationError) as refused:
        services.save_actual(line=line, by=org.chief.user, actual=actual, note="отчёт")
    assert message in " ".join(refused.value.messages).replace("\xa0", " ")
    line.refresh_from_db()
    assert line.actual is None and line.percent is None
    client.force_login(org.chief.user)
    assert client.get(reverse("kci:sheet_detail", args=[sheet.pk])).status_code == 200
    assert client.get(reverse("kci:sheet_pdf", args=[sheet.pk])).status_code == 200


def test_R27_percent_that_does_not_fit_its_column_is_refused(org, entry):
    """A target of 0.01 and an actual of 999,999,999,999.99 give a percent of 10^16: the
    column holds 9,999,999.99 at most."""
    plan = posted_plan(org, entry, targets=["0.01", "100", "100"])
    sheet = services.ensure_sheet(plan=plan, by=org.chief.user)
    line = sheet.lines.order_by("kci__number").first()
    with pytest.raises(ValidationError, match=r"п\. 27: процент достижения"):
        services.save_actual(line=line, by=org.chief.user, actual="999999999999.99", note="отчёт")
    line.refresh_from_db()
    assert line.actual is None


def test_R27_score_table_row_count_not_a_number_or_huge_is_refused_quickly(client, org, entry):
    import time

    client.force_login(org.chief.user)
    url = reverse("kci:score_table")
    client.get(url)
    rows_before = list(AdmissibleScoreRow.objects.values_list("percent_from", "percent_to", "scores"))
    for row_count in ("abc", "2000000", "-1", "1" * 50):
        started = time.monotonic()
        response = client.post(url, {"row_count": row_count}, follow=True)
        assert response.status_code == 200 and time.monotonic() - started < 2
        assert "п. 27: число строк таблицы" in response.content.decode()
    assert list(AdmissibleScoreRow.objects.values_list("percent_from", "percent_to", "scores")) == rows_before


def test_R27_score_table_bounds_that_do_not_fit_are_refused(org, entry):
    from appraisal.editions import edition_for_period

    table = services.score_table(edition_for_period(entry.schedule.period, org.organisation))
    before = list(table.rows.values_list("percent_from", "percent_to", "scores"))
    for bad in ("1e20", "0.001", "abc", "100000"):
        rows = [{"percent_from": "0", "percent_to": bad, "scores": "0"},
                {"percent_from": bad, "percent_to": "", "scores": "5"}]
        with pytest.raises(ValidationError, match=r"п\. 27"):
            services.save_score_table(table=table, rows=rows, confirm=False, by=org.chief.user)
    assert list(table.rows.values_list("percent_from", "percent_to", "scores")) == before


def test_R27_evaluator_comment_over_the_limit_refused_not_cut(org, entry):
    plan = posted_plan(org, entry)
    sheet = sent_sheet(org, plan, ["100", "100", "100"])
    lines = list(sheet.lines.order_by("kci__number"))
    scores = {line.pk: ("5", "к" * (services.TEXT_LIMIT + 1)) for line in lines}
    with pytest.raises(ValidationError, match=f"не длиннее {services.TEXT_LIMIT} символов"):
        services.submit_sheet(sheet=sheet, by=org.chairman.user, scores=scores)
    sheet.refresh_from_db()
    assert sheet.state == "sent" and not KciScoreLine.objects.filter(sheet=sheet).exclude(comment="").exists()


# --- Hypothesis: arbitrary values into every KCI service ----------------------------------------


@limits_settings
@given(data=st.fixed_dictionaries({f: any_value() for f in KCI_FIELDS}))
def test_R24_save_kci_with_arbitrary_values_never_fails_and_refusal_saves_nothing(org, entry, data):
    plan = plan_with_kcis(org, entry) if not hasattr(entry, "_plan") else entry._plan
    entry._plan = plan
    kci = plan.kcis.order_by("number").first()
    before = _kci_state(kci)
    try:
        saved = services.save_kci(plan=plan, by=org.chairman.user, data=data, kci=kci)
    except ValidationError as exc:
        assert all(m.startswith("п. ") for m in exc.messages), exc.messages
        assert _kci_state(kci) == before
        return
    target, title = saved.target, saved.title
    saved.refresh_from_db()  # reading it back is what fails on SQLite for a number that does not fit
    assert (saved.target, saved.title) == (target, title) and saved.title == str(data["title"]).strip()


@limits_settings
@given(actual=st.one_of(numbers_as_text(), any_value()), note=any_text())
def test_R22_6_save_actual_with_arbitrary_values_never_fails_and_refusal_saves_nothing(org, entry, actual, note):
    if not hasattr(entry, "_line"):
        plan = posted_plan(org, entry, targets=["0.01", "100", "100"])
        entry._line = services.ensure_sheet(plan=plan, by=org.chief.user).lines.order_by("kci__number").first()
    line = entry._line
    before = tuple(KciScoreLine.objects.filter(pk=line.pk).values_list("actual", "note", "percent", "admissible").get())
    try:
        services.save_actual(line=line, by=org.chief.user, actual=actual, note=note)
    except ValidationError as exc:
        assert all(m.startswith("п. ") for m in exc.messages), exc.messages
        after = tuple(KciScoreLine.objects.filter(pk=line.pk).values_list("actual", "note", "percent", "admissible").get())
        assert after == before
        return
    stored = KciScoreLine.objects.get(pk=line.pk)
    assert stored.note == str(note).strip() and stored.percent is not None


@limits_settings
@given(rows=st.lists(st.fixed_dictionaries({"percent_from": any_value(), "percent_to": any_value(),
                                             "scores": any_value()}), max_size=4))
def test_R27_save_score_table_with_arbitrary_values_never_fails(org, entry, rows):
    from appraisal.editions import edition_for_period

    table = services.score_table(edition_for_period(entry.schedule.period, org.organisation))
    before = list(table.rows.values_list("percent_from", "percent_to", "scores"))
    try:
        services.save_score_table(table=table, rows=rows, confirm=False, by=org.chief.user)
    except ValidationError:
        assert list(table.rows.values_list("percent_from", "percent_to", "scores")) == before
        return
    list(table.rows.all())  # read back


@limits_settings
@given(name=st.sampled_from(["return_to_draft", "amend", "agree"]), reason=any_value(), basis=any_value())
def test_R25_plan_transition_reasons_with_arbitrary_values_never_fail(org, entry, name, reason, basis):
    if not hasattr(entry, "_plan"):
        entry._plan = plan_with_kcis(org, entry)
    plan = entry._plan
    by = org.chief.user if name == "agree" else org.chairman.user
    try:
        services.plan_transition(plan=plan, name=name, by=by, reason=reason, basis=basis)
    except (ValidationError, PermissionDenied):
        pass
    plan.refresh_from_db()
    assert len(plan.return_reason) <= services.TEXT_LIMIT and len(plan.amendment_reason) <= services.TEXT_LIMIT


@limits_settings
@given(data=st.fixed_dictionaries({f: any_value() for f in KCI_FIELDS}),
       actual=any_value(), note=any_value(), reason=any_value(), basis=any_value(), deadline=any_date())
def test_kci_forms_with_arbitrary_values_never_fail(data, actual, note, reason, basis, deadline):
    def posted(values):  # a POST carries text only
        return {k: str(v) for k, v in values.items() if v is not None}

    KciForm(posted({**data, "deadline": deadline.isoformat()})).is_valid()
    ActualForm(posted({"actual": actual, "note": note})).is_valid()
    AmendmentForm(posted({"basis": basis, "reason": reason})).is_valid()


def test_R27_scores_of_a_sheet_are_not_changed_by_a_refused_comment(org, entry):
    """The sheet stays as it was: no score of a line is stored when one comment is refused."""
    plan = posted_plan(org, entry)
    sheet = sent_sheet(org, plan, ["100", "100", "100"])
    lines = list(sheet.lines.order_by("kci__number"))
    scores = {line.pk: ("5", "") for line in lines}
    scores[lines[-1].pk] = ("5", "\x00")
    with pytest.raises(ValidationError, match="NUL"):
        services.submit_sheet(sheet=sheet, by=org.chairman.user, scores=scores)
    assert not KciScoreLine.objects.filter(sheet=sheet, score__isnull=False).exists()
    assert KciScoreSheet.objects.get(pk=sheet.pk).score is None
