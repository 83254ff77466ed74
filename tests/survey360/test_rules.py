"""Chapter 4 rules: R33, R34, R35.1, R35.2, R36, R9, R4, R5.2."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appraisal.models import AbsenceKind, PeriodResult
from survey360 import selectors, services
from survey360.data.questionnaires import HEAD_COMPETENCIES, STAFF_COMPETENCIES
from survey360.models import AnswerTally, Campaign, CampaignState, Competency, Questionnaire, Respondent, SelfAnswer
from tests.conftest import make_org
from tests.factories import AbsenceFactory
from tests.survey360.conftest import answer, approved_year_schedule, subject_of, values_for


def close(org):
    services.close_campaign(campaign=org.campaign, by=org.chief.user)


def tallies(subject):
    return sorted(AnswerTally.objects.filter(subject=subject).values_list("statement_id", "total", "count"))


# --- R33 / R34: questionnaires --------------------------------------------------------

def test_R34_head_has_the_12_competencies_and_staff_the_8(db):
    head = Questionnaire.objects.get(audience="head")
    staff = Questionnaire.objects.get(audience="staff")
    assert [c.name for c in head.competencies.order_by("order")] == HEAD_COMPETENCIES
    assert [c.name for c in staff.competencies.order_by("order")] == STAFF_COMPETENCIES
    assert len(HEAD_COMPETENCIES) == 12 and len(STAFF_COMPETENCIES) == 8
    assert "Лидерские качества" in HEAD_COMPETENCIES and "Лидерские качества" not in STAFF_COMPETENCIES
    for c in Competency.objects.all():
        assert 2 <= c.statements.count() <= 3
    # R33 via forms.md: shipped texts are defaults to be confirmed
    assert head.is_default and staff.is_default and head.appendix == 5 and staff.appendix == 6


def test_R33_head_is_evaluated_with_form_5_and_staff_with_form_6(survey):
    assert subject_of(survey.campaign, survey.head).questionnaire.appendix == 5
    assert subject_of(survey.campaign, survey.staff[0]).questionnaire.appendix == 6


def test_R33_campaign_only_from_an_approved_year_schedule(db):
    org = make_org(2)
    from tests.factories import year_period
    with pytest.raises(ValidationError, match=re.escape("п. 10")):
        services.create_campaign(organisation=org.organisation, period=year_period(2025), by=org.chief.user)
    assert not Campaign.objects.exists()


def test_R33_once_a_year_per_organisation(survey):
    with pytest.raises(ValidationError, match=re.escape("п. 33")):
        services.create_campaign(organisation=survey.organisation, period=survey.campaign.period, by=survey.chief.user)


def test_R4_campaign_deadline_is_10_january(survey):
    assert survey.campaign.deadline == dt.date(2026, 1, 10)


def test_R36_only_the_chief_specialist_opens_the_campaign(survey):
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.open_campaign(campaign=survey.campaign, by=survey.head.user)
    survey.campaign.refresh_from_db()
    assert survey.campaign.state == CampaignState.DRAFT


# --- R35.1: the circle --------------------------------------------------------------------

def test_R35_1_circle_proposed_from_supervisor_subordinates_and_peers(survey):
    staff0 = subject_of(survey.campaign, survey.staff[0])
    circle = {r.employee_id: r.source for r in staff0.respondents.all()}
    assert circle == {survey.head.pk: "supervisor", survey.chief.pk: "peer", survey.staff[1].pk: "peer"}
    head = subject_of(survey.campaign, survey.head)
    circle = {r.employee_id: r.source for r in head.respondents.all()}
    assert circle[survey.chairman.pk] == "supervisor"
    assert {k for k, v in circle.items() if v == "subordinate"} == {survey.chief.pk, survey.staff[0].pk, survey.staff[1].pk}


def test_R35_1_proposal_never_exceeds_seven(db, at_collecting):
    org = make_org(8)
    schedule = approved_year_schedule(org)
    campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
    assert subject_of(campaign, org.head).respondents.count() == 7
    assert subject_of(campaign, org.staff[0]).respondents.count() == 7


def test_R35_1_circle_of_two_refused(survey):
    staff0 = subject_of(survey.campaign, survey.staff[0])
    services.remove_respondent(respondent=staff0.respondents.get(employee=survey.chief), by=survey.chief.user)
    with pytest.raises(ValidationError) as exc:
        services.open_campaign(campaign=survey.campaign, by=survey.chief.user)
    assert "п. 35.1: у Служащий0 А.М. 2 респондента, нужно от 3 до 7" in " ".join(exc.value.messages)
    survey.campaign.refresh_from_db()
    assert survey.campaign.state == CampaignState.DRAFT
    assert not AnswerTally.objects.exists()


def test_R35_1_circle_of_eight_refused(db, at_collecting):
    org = make_org(8)
    schedule = approved_year_schedule(org)
    campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
    head = subject_of(campaign, org.head)
    outsider = next(e for e in org.staff if not head.respondents.filter(employee=e).exists())
    with pytest.raises(ValidationError, match=re.escape("п. 35.1: у Серикбаева Г.М. уже 7 респондентов, больше 7 нельзя")):
        services.add_respondent(subject=head, employee=outsider, by=org.chief.user)
    assert head.respondents.count() == 7
    # and one that reached eight some other way is refused at opening
    Respondent.objects.create(subject=head, employee=outsider, source="added")
    with pytest.raises(ValidationError, match=re.escape("8 респондентов, нужно от 3 до 7")):
        services.open_campaign(campaign=campaign, by=org.chief.user)


def test_R35_1_chief_adjusts_the_circle_only_in_draft(open_survey):
    staff0 = subject_of(open_survey.campaign, open_survey.staff[0])
    with pytest.raises(ValidationError, match=re.escape("п. 35.1")):
        services.remove_respondent(respondent=staff0.respondents.first(), by=open_survey.chief.user)
    assert staff0.respondents.count() == 3


def test_R35_1_answering_for_someone_not_in_ones_list_refused(open_survey):
    staff0 = subject_of(open_survey.campaign, open_survey.staff[0])
    outsider = open_survey.official  # in the organisation, not in the circle
    before = tallies(staff0)
    with pytest.raises(ValidationError, match=re.escape("п. 35.1: Служащий0 А.М. нет в вашем списке")):
        answer(staff0, outsider)
    assert tallies(staff0) == before


# --- R33: answers ---------------------------------------------------------------------------

def test_R33_second_answer_from_the_same_respondent_refused(open_survey):
    staff0 = subject_of(open_survey.campaign, open_survey.staff[0])
    answer(staff0, open_survey.head, 4)
    before = tallies(staff0)
    with pytest.raises(ValidationError, match=re.escape("п. 33: вы уже оценили")):
        answer(staff0, open_survey.head, 1)
    assert tallies(staff0) == before
    assert {c for _s, _t, c in before} == {1}


def test_R34_answer_outside_the_scale_refused(open_survey):
    staff0 = subject_of(open_survey.campaign, open_survey.staff[0])
    values = values_for(staff0, 4)
    values[next(iter(values))] = 6
    with pytest.raises(ValidationError, match=re.escape("п. 34: ответ «6» вне шкалы от 0 до 5")):
        services.submit_answers(subject=staff0, by=open_survey.head.user, values=values)
    assert {c for _s, _t, c in tallies(staff0)} == {0}
    assert not staff0.respondents.filter(answered=True).exists()


def test_R34_incomplete_questionnaire_refused(open_survey):
    staff0 = subject_of(open_survey.campaign, open_survey.staff[0])
    values = values_for(staff0, 4)
    values.pop(next(iter(values)))
    with pytest.raises(ValidationError, match=re.escape("п. 34: ответьте на все утверждения")):
        services.submit_answers(subject=staff0, by=open_survey.head.user, values=values)
    assert not staff0.respondents.filter(answered=True).exists()


def test_R4_answer_after_the_deadline_refused(open_survey):
    staff0 = subject_of(open_survey.campaign, open_survey.staff[0])
    with time_machine.travel(dt.datetime(2026, 1, 11, 9, 0), tick=False):
        with pytest.raises(ValidationError, match=re.escape("п. 4: срок оценки методом 360 истёк 10.01.2026")):
            answer(staff0, open_survey.head)
    assert {c for _s, _t, c in tallies(staff0)} == {0}
    assert not staff0.respondents.filter(answered=True).exists()


def test_R33_failed_tally_write_undoes_the_answered_flag(open_survey, monkeypatch):
    staff0 = subject_of(open_survey.campaign, open_survey.staff[0])

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("survey360.models.AnonymousComment.save", boom)
    with pytest.raises(RuntimeError):
        answer(staff0, open_survey.head, comment="текст")
    assert not staff0.respondents.filter(answered=True).exists()
    assert {c for _s, _t, c in tallies(staff0)} == {0}


# --- R35.2: self-assessment -----------------------------------------------------------------

def test_R35_2_self_assessment_shown_beside_and_not_counted(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    services.submit_self_assessment(subject=staff0, by=org.staff[0].user, values=values_for(staff0, 5))
    for r in staff0.respondents.select_related("employee"):
        answer(staff0, r.employee, 2)
    close(org)
    report = selectors.report_for(subject_of(org.campaign, org.staff[0]))
    assert report.ready and report.responses == 3
    assert report.overall == Decimal("2.00")
    assert all(line.mean == Decimal("2.00") and line.self_mean == Decimal("5.00") for line in report.lines)


def test_R35_2_person_cannot_answer_about_themself_as_a_respondent(survey):
    staff0 = subject_of(survey.campaign, survey.staff[0])
    with pytest.raises(ValidationError, match=re.escape("п. 35.2")):
        services.add_respondent(subject=staff0, employee=survey.staff[0], by=survey.chief.user)
    services.open_campaign(campaign=survey.campaign, by=survey.chief.user)
    staff0 = subject_of(survey.campaign, survey.staff[0])
    with pytest.raises(ValidationError, match=re.escape("п. 35.2")):
        answer(staff0, survey.staff[0])
    assert {c for _s, _t, c in tallies(staff0)} == {0}


def test_R35_2_self_assessment_only_once(open_survey):
    staff0 = subject_of(open_survey.campaign, open_survey.staff[0])
    services.submit_self_assessment(subject=staff0, by=open_survey.staff[0].user, values=values_for(staff0, 5))
    with pytest.raises(ValidationError, match=re.escape("п. 35.2: самооценка уже заполнена")):
        services.submit_self_assessment(subject=staff0, by=open_survey.staff[0].user, values=values_for(staff0, 1))
    assert set(SelfAnswer.objects.filter(subject=staff0).values_list("value", flat=True)) == {5}


def test_R5_2_no_self_assessment_when_evaluated_without_participation(db, at_collecting):
    # Three staff: the one on leave for the whole collection window is no respondent either
    # (test_circles_at_work), and the others' circles still have three people.
    org = make_org(3)
    AbsenceFactory(employee=org.staff[0], kind=AbsenceKind.LABOUR_LEAVE, start=dt.date(2026, 1, 2),
                   end=dt.date(2026, 1, 20))
    schedule = approved_year_schedule(org)
    campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
    services.open_campaign(campaign=campaign, by=org.chief.user)
    staff0 = subject_of(campaign, org.staff[0])
    assert not staff0.with_participation
    assert not selectors.self_tasks(org.staff[0].user).exists()
    with pytest.raises(ValidationError, match=re.escape("п. 5.2")):
        services.submit_self_assessment(subject=staff0, by=org.staff[0].user, values=values_for(staff0, 5))
    assert not SelfAnswer.objects.exists()


# --- R36, R7: report and result ---------------------------------------------------------------

def test_R36_report_means_least_expressed_and_result_recorded(open_survey):
    org = open_survey
    staff0 = subject_of(org.campaign, org.staff[0])
    competencies = list(Competency.objects.filter(questionnaire=staff0.questionnaire).order_by("order"))
    low = {competencies[2].pk, competencies[5].pk}
    for value, r in zip([3, 4, 5], staff0.respondents.select_related("employee").order_by("employee__last_name")):
        values = values_for(staff0, value)
        for st in competencies[2].statements.all():
            values[str(st.pk)] = 0
        for st in competencies[5].statements.all():
            values[str(st.pk)] = 1
        services.submit_answers(subject=staff0, by=r.employee.user, values=values)
    close(org)
    report = selectors.report_for(subject_of(org.campaign, org.staff[0]))
    means = {line.competency.pk: line.mean for line in report.lines}
    assert means[competencies[2].pk] == Decimal("0.00") and means[competencies[5].pk] == Decimal("1.00")
    assert means[competencies[0].pk] == Decimal("4.00")
    least = [line.competency.pk for line in report.least]
    assert set(least) == low  # the others are all at the highest mean: not "least"
    # overall = mean of the 8 competency means: (6*4 + 0 + 1) / 8 = 3.125 → 3.13 (R7 rounding)
    assert report.overall == Decimal("3.13")
    assert report.gradation == "Выполняет функциональные обязанности надлежащим образом"
    services.publish_reports(campaign=org.campaign, by=org.chief.user)
    result = PeriodResult.objects.get(entry=staff0.entry)
    assert result.score == Decimal("3.13") and result.gradation == "proper"


def test_R36_feedback_meeting_recorded_by_the_chief_specialist(open_survey):
    org = open_survey
    close(org)
    staff0 = subject_of(org.campaign, org.staff[0])
    with pytest.raises(ValidationError, match=re.escape("п. 36: заполните")):
        services.record_feedback(subject=staff0, by=org.chief.user, held_on=dt.date(2026, 1, 20), participants="",
                                 strengths="", to_develop="", training_topics="")
    meeting = services.record_feedback(subject=staff0, by=org.chief.user, held_on=dt.date(2026, 1, 20),
                                       participants="Служащий0, Серикбаева", strengths="Сотрудничество",
                                       to_develop="Оперативность", training_topics="Тайм-менеджмент")
    assert meeting.history.count() == 1
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.record_feedback(subject=staff0, by=org.head.user, held_on=dt.date(2026, 1, 20), participants="x",
                                 strengths="x", to_develop="x", training_topics="x")


def test_R9_training_needs_lists_least_expressed_per_person_and_totals(open_survey):
    org = open_survey
    campaign = org.campaign
    for employee in [org.staff[0], org.staff[1]]:
        subject = subject_of(campaign, employee)
        weakest = Competency.objects.get(questionnaire=subject.questionnaire, order=7)  # «Оперативность»
        for r in subject.respondents.select_related("employee"):
            values = values_for(subject, 4)
            for st in weakest.statements.all():
                values[str(st.pk)] = 1
            services.submit_answers(subject=subject, by=r.employee.user, values=values)
    close(org)
    needs = selectors.training_needs(Campaign.objects.get(pk=campaign.pk))
    assert {s.employee_id for s, _r in needs.rows} == {org.staff[0].pk, org.staff[1].pk}
    assert dict(needs.totals)["Оперативность"] == 2
    assert needs.totals == [("Оперативность", 2)]
    assert {s.employee_id for s in needs.insufficient} == {org.head.pk, org.chief.pk}


def test_R36_least_expressed_takes_ties_and_never_the_top(db):
    from survey360.selectors import CompetencyLine, _least_expressed

    def lines(*means):
        return [CompetencyLine(Competency(order=i, name=str(i)), mean=Decimal(m)) for i, m in enumerate(means)]

    ls = lines("1", "2", "3", "3", "4")
    _least_expressed(ls, 3)
    assert [ln.least for ln in ls] == [True, True, True, True, False]
    ls = lines("4", "4", "4")
    _least_expressed(ls, 3)
    assert not any(ln.least for ln in ls)


def test_R35_1_dismissed_employee_not_proposed_as_respondent(db, at_collecting):
    from appraisal.models import Appointment

    org = make_org(3)
    gone = org.staff[2]
    Appointment.objects.filter(employee=gone).update(end=dt.date(2025, 11, 14))
    schedule = approved_year_schedule(org)
    campaign = services.create_campaign(organisation=org.organisation, period=schedule.period, by=org.chief.user)
    staff0 = {r.employee_id for r in subject_of(campaign, org.staff[0]).respondents.all()}
    assert gone.pk not in staff0
    assert {org.head.pk, org.chief.pk, org.staff[1].pk} <= staff0
    assert gone.pk not in {r.employee_id for r in subject_of(campaign, org.head).respondents.all()}
    staff0 = subject_of(campaign, org.staff[0])
    with pytest.raises(ValidationError, match=re.escape(
            "п. 35.1: Служащий2 А.М. не работает в государственном органе на 31.12.2025 и не может быть респондентом")):
        services.add_respondent(subject=staff0, employee=gone, by=org.chief.user)
    assert not staff0.respondents.filter(employee=gone).exists()
