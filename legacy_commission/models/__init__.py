"""Chapter 6 (the legacy procedure): the plan and score sheet (plan.py, R43–R53) and the
Commission (commission.py, R54–R68)."""

from legacy_commission.models.plan import (
    KCI_COUNT,
    LegacyAim,
    LegacyEvidence,
    LegacyKci,
    LegacyPlan,
    LegacyPlanState,
    LegacySheet,
    LegacySheetLine,
    LegacySheetState,
    ReturnReason,
    ReviewDecision,
    ReviewRound,
    gradation_for_count,
)

__all__ = [
    "KCI_COUNT",
    "LegacyAim",
    "LegacyEvidence",
    "LegacyKci",
    "LegacyPlan",
    "LegacyPlanState",
    "LegacySheet",
    "LegacySheetLine",
    "LegacySheetState",
    "ReturnReason",
    "ReviewDecision",
    "ReviewRound",
    "gradation_for_count",
]
from legacy_commission.models.commission import (  # noqa: F401 — R54–R68 (helper legb)
    AgendaItem,
    Appeal,
    AppealBody,
    AppealOutcome,
    Commission,
    CommissionAmendment,
    CommissionMeeting,
    CommissionMember,
    ItemDecision,
    MeetingAttendance,
    MeetingState,
    MemberRole,
    Vote,
)
