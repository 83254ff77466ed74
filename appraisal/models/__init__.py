from appraisal.models.acknowledgement import NOTICE_CHANNELS, Acknowledgement, AcknowledgementChannel
from appraisal.models.calendar import WorkingDayOverride
from appraisal.models.disputes import Dispute, DisputeState
from appraisal.models.edition import MethodologyEdition, RuleValidity
from appraisal.models.imports import StaffImport, StaffImportState
from appraisal.models.jobs import BackgroundJob, JobState
from appraisal.models.notifications import Channel, OutboxMessage, OutboxState
from appraisal.models.organisation import (
    Absence,
    AbsenceKind,
    Appointment,
    Employee,
    Organisation,
    Position,
    PositionKind,
    Role,
    RoleAssignment,
)
from appraisal.models.periods import Period, PeriodKind
from appraisal.models.results import PeriodResult
from appraisal.models.retention import Disposal
from appraisal.models.schedule import (
    EligibilityReason,
    Method,
    Participation,
    Schedule,
    ScheduleEntry,
    ScheduleState,
)

__all__ = [
    "NOTICE_CHANNELS",
    "Absence",
    "AbsenceKind",
    "Acknowledgement",
    "AcknowledgementChannel",
    "Appointment",
    "BackgroundJob",
    "Channel",
    "Disposal",
    "Dispute",
    "DisputeState",
    "EligibilityReason",
    "Employee",
    "JobState",
    "Method",
    "MethodologyEdition",
    "Organisation",
    "OutboxMessage",
    "OutboxState",
    "Participation",
    "Period",
    "PeriodKind",
    "PeriodResult",
    "Position",
    "PositionKind",
    "Role",
    "RoleAssignment",
    "RuleValidity",
    "Schedule",
    "ScheduleEntry",
    "ScheduleState",
    "StaffImport",
    "StaffImportState",
    "WorkingDayOverride",
]
