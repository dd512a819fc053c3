"""Every table of the portal; importing this package registers them all on the metadata."""

from portal.models.allocations import AllocationRun, RunStatus
from portal.models.audit import AuditEvent
from portal.models.calendars import CalendarFeed
from portal.models.lessons import EvaluationReturn, FollowUpLesson, LessonPack, LessonPackFile
from portal.models.outbox import OutboxMessage
from portal.models.performances import Performance, PerformanceAttendance, PerformanceStatus
from portal.models.place_offers import PlaceOffer
from portal.models.previews import ParentBooking, ParentLink, Preview, PreviewStaffSeat
from portal.models.reach import ReachFigures, ReachVersion
from portal.models.requests import Request, RequestDate, RequestSlot, RequestStatus, RequestYearGroup
from portal.models.schools import School
from portal.models.seasons import BlackoutDay, Cast, CastDate, Production, Season, Slot
from portal.models.settings import Setting
from portal.models.submissions import FormSubmission
from portal.models.tokens import AccountToken, ApiToken
from portal.models.training import (
    Learner,
    TrainingAgency,
    TrainingBooking,
    TrainingCompletion,
    TrainingCourse,
    TrainingEmailDomain,
    TrainingJobRole,
    TrainingSession,
)
from portal.models.users import ApprovalState, Role, User, UserSession

__all__ = [
    "AccountToken",
    "ApiToken",
    "EvaluationReturn",
    "FormSubmission",
    "FollowUpLesson",
    "LessonPack",
    "LessonPackFile",
    "OutboxMessage",
    "Setting",
    "AllocationRun",
    "CalendarFeed",
    "PerformanceAttendance",
    "RunStatus",
    "ApprovalState",
    "AuditEvent",
    "BlackoutDay",
    "Cast",
    "CastDate",
    "Performance",
    "PerformanceStatus",
    "ParentBooking",
    "ParentLink",
    "PlaceOffer",
    "Preview",
    "PreviewStaffSeat",
    "Production",
    "ReachFigures",
    "ReachVersion",
    "Request",
    "RequestDate",
    "RequestSlot",
    "RequestStatus",
    "RequestYearGroup",
    "Role",
    "School",
    "Season",
    "Slot",
    "Learner",
    "TrainingAgency",
    "TrainingBooking",
    "TrainingCompletion",
    "TrainingCourse",
    "TrainingEmailDomain",
    "TrainingJobRole",
    "TrainingSession",
    "User",
    "UserSession",
]
