"""Reads of the 360 survey: for-user querysets (R20) and the grouped aggregation (R35.2, R36).

Results are computed by the database in one grouped query over `AnswerTally` (sums and
counts per person and competency), never by looping over answers: there are none.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Q, QuerySet, Sum

from appraisal.languages import localized
from appraisal.scoring import SCORE_QUANTUM, gradation_for, mean_score
from appraisal.selectors import organisations_administered, schedule_entries_visible_to
from survey360.models import (
    AnonymousComment,
    AnswerTally,
    Campaign,
    CampaignState,
    Competency,
    Respondent,
    SelfAnswer,
    Subject,
)

# The threshold: nothing is shown for a person unless at least this many
# respondents other than the person answered (the Методика's own minimum circle, R35.1).
MIN_RESPONSES = 3
CIRCLE_MIN = 3
CIRCLE_MAX = 7


def campaigns_for_chief(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(organisation_id__in=organisations_administered(user)).select_related(
        "organisation", "period", "schedule"
    )


def subjects_visible_to(user) -> QuerySet[Subject]:
    """R20: a person's 360 report is seen by the person, their evaluator and the chief
    specialist of the organisation. Nobody else, administrators included."""
    # The core rule, not a copy of it: whoever may see the schedule line sees its report.
    visible = schedule_entries_visible_to(user).values("pk")
    return Subject.objects.filter(entry__in=visible).select_related(
        "campaign__period", "campaign__organisation", "employee", "entry__position", "entry__evaluator", "questionnaire")


def respondent_tasks(user) -> QuerySet[Respondent]:
    """The people this user still has to assess in open campaigns (their own page)."""
    if not getattr(user, "is_authenticated", False):
        return Respondent.objects.none()
    return (
        Respondent.objects.filter(employee__user=user, answered=False, subject__campaign__state=CampaignState.COLLECTING)
        .select_related("subject__employee", "subject__campaign__period", "subject__entry__position")
        .order_by("subject__employee__last_name", "subject__employee__first_name")
    )


def self_tasks(user) -> QuerySet[Subject]:
    """R35.2: the self-assessment still to fill (not for R5.2 without participation)."""
    if not getattr(user, "is_authenticated", False):
        return Subject.objects.none()
    return Subject.objects.filter(
        employee__user=user, with_participation=True, self_submitted=False,
        campaign__state=CampaignState.COLLECTING,
    ).select_related("campaign__period", "questionnaire")


def not_answered(campaign: Campaign) -> list[dict]:
    """What the chief specialist may see while collecting: who has NOT answered yet, and
    for how many people. Who answered what is not stored, so it cannot be shown."""
    rows = (
        Respondent.objects.filter(subject__campaign=campaign, answered=False)
        .values("employee_id", "employee__last_name", "employee__first_name", "employee__middle_name")
        .order_by("employee__last_name", "employee__first_name")
    )
    grouped: dict[int, dict] = {}
    for r in rows:
        name = " ".join(p for p in (r["employee__last_name"], r["employee__first_name"], r["employee__middle_name"]) if p)
        grouped.setdefault(r["employee_id"], {"name": name, "pending": 0})["pending"] += 1
    return list(grouped.values())


def self_not_submitted(campaign: Campaign) -> QuerySet[Subject]:
    return campaign.subjects.filter(with_participation=True, self_submitted=False).select_related("employee")


# --- aggregation ---------------------------------------------------------------------

def grouped_tallies(subject_filter: Q) -> QuerySet:
    """One grouped query: per (person, competency) the sum and number of answers, and the
    number of respondents (every respondent answers every statement)."""
    return (
        AnswerTally.objects.filter(subject_filter)
        .values("subject_id", "statement__competency_id")
        .annotate(total=Sum("total"), n=Sum("count"), responses=Max("count"))
        .order_by()
    )


@dataclass
class CompetencyLine:
    competency: Competency
    mean: Decimal | None = None
    self_mean: Decimal | None = None
    least: bool = False


@dataclass
class Report:
    subject: Subject
    state: str  # "collecting", "insufficient" or "ready"
    responses: int = 0
    lines: list[CompetencyLine] = field(default_factory=list)
    overall: Decimal | None = None
    gradation: str = ""
    comments: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def least(self) -> list[CompetencyLine]:
        return [line for line in self.lines if line.least]


def _least_expressed(lines: list[CompetencyLine], k: int) -> None:
    """R36: the k competencies with the lowest mean of others; a tie at the k-th place takes
    all its competencies, and a competency at the person's highest mean is never "least"
    (when all means are equal, none is)."""
    means = sorted(line.mean for line in lines if line.mean is not None)
    if not means or k < 1:
        return
    boundary = means[min(k, len(means)) - 1]
    for line in lines:
        if line.mean is not None and line.mean <= boundary and line.mean < means[-1]:
            line.least = True


def _round(value: Decimal) -> Decimal:
    """appraisal.scoring.round_score's rule (ROUND_HALF_UP to 0.01) on a Decimal already
    known to be in range, without its parsing (this runs 120,000 times for 10,000 people)."""
    return value.quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)


def build_reports(subjects: list[Subject], *, with_comments: bool = False,
                  campaign: Campaign | None = None) -> dict[int, Report]:
    """Reports for many people with a constant number of queries. With `campaign`, the
    subjects are the whole campaign and the grouped query filters on it."""
    if not subjects:
        return {}
    questionnaire_ids = {s.questionnaire_id for s in subjects}
    competencies: dict[int, list[Competency]] = defaultdict(list)
    for c in Competency.objects.filter(questionnaire_id__in=questionnaire_ids).order_by("order"):
        competencies[c.questionnaire_id].append(c)

    visible_ids = [s.pk for s in subjects if s.campaign.results_visible]
    sums: dict[int, dict[int, tuple[int, int, int]]] = defaultdict(dict)
    if visible_ids:
        scope = Q(campaign=campaign) if campaign is not None else Q(subject_id__in=visible_ids)
        for row in grouped_tallies(scope):
            sums[row["subject_id"]][row["statement__competency_id"]] = (row["total"], row["n"], row["responses"])

    reports: dict[int, Report] = {}
    ready_ids = []
    for subject in subjects:
        if not subject.campaign.results_visible:
            reports[subject.pk] = Report(subject, "collecting")
            continue
        groups = sums.get(subject.pk, {})
        responses = min((g[2] for g in groups.values()), default=0)
        if responses < MIN_RESPONSES:
            reports[subject.pk] = Report(subject, "insufficient", responses=responses)
            continue
        lines, exact = [], []
        for c in competencies[subject.questionnaire_id]:
            total, n, _r = groups.get(c.pk, (0, 0, 0))
            line = CompetencyLine(c)
            if n:
                exact.append(Decimal(total) / Decimal(n))
                line.mean = _round(exact[-1])
            lines.append(line)
        _least_expressed(lines, subject.questionnaire.least_expressed_count)
        overall = mean_score(exact) if exact else None
        reports[subject.pk] = Report(subject, "ready", responses, lines, overall,
                                     gradation_for(overall).label if overall is not None else "")
        ready_ids.append(subject.pk)

    if ready_ids:
        self_sums: dict[tuple[int, int], list[int]] = defaultdict(list)
        self_scope = Q(subject__campaign=campaign) if campaign is not None else Q(subject_id__in=ready_ids)
        for subject_id, competency_id, value in SelfAnswer.objects.filter(self_scope).values_list(
            "subject_id", "statement__competency_id", "value"
        ):
            self_sums[(subject_id, competency_id)].append(value)
        for subject_id in ready_ids:
            for line in reports[subject_id].lines:
                values = self_sums.get((subject_id, line.competency.pk))
                if values:
                    line.self_mean = _round(Decimal(sum(values)) / Decimal(len(values)))
        if with_comments:
            for subject_id, items in AnonymousComment.objects.filter(subject_id__in=ready_ids).values_list(
                "subject_id", "texts"
            ):
                items = list(items)
                random.SystemRandom().shuffle(items)
                reports[subject_id].comments = items
    return reports


def report_for(subject: Subject) -> Report:
    return build_reports([subject], with_comments=True)[subject.pk]


def organisation_aggregation(campaign: Campaign) -> list[dict]:
    """The whole organisation in one grouped query (used by the benchmark and the
    training-needs report)."""
    return list(grouped_tallies(Q(campaign=campaign)))


@dataclass
class TrainingNeeds:
    rows: list[tuple[Subject, Report]]
    totals: list[tuple[str, int]]
    insufficient: list[Subject]


def training_needs(campaign: Campaign) -> TrainingNeeds:
    """R9, R36: each person's least expressed competencies and how many people share each."""
    subjects = list(campaign.subjects.select_related("employee", "questionnaire", "campaign__period",
                                                      "entry__position"))
    reports = build_reports(subjects, campaign=campaign)
    rows, insufficient, totals = [], [], defaultdict(int)
    for subject in subjects:
        report = reports[subject.pk]
        if not report.ready:
            insufficient.append(subject)
            continue
        rows.append((subject, report))
        for line in report.least:
            totals[localized(line.competency, "name")] += 1
    return TrainingNeeds(rows, sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])), insufficient)
