"""Follow-up lessons and evaluation returns that schools record after a performance (counts only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import EvaluationReturn, FollowUpLesson, LessonPack, Performance, PerformanceStatus, User
from portal.services import audit


class LessonError(Refused):
    """A lesson or return the rules refuse; field names the form field at fault."""


@dataclass(frozen=True)
class LessonDetails:
    delivered_on: date
    year_group: int
    pupils: int
    pack_id: int | None
    excess_reason: str


def attended_by_year(performance: Performance) -> dict[int, int]:
    return {row.year_group: row.pupils for row in performance.attendance}


def lessons_for(performance: Performance) -> list[FollowUpLesson]:
    query = select(FollowUpLesson).where(FollowUpLesson.performance_id == performance.id)
    return list(db.session.scalars(query.order_by(FollowUpLesson.delivered_on, FollowUpLesson.id)))


def record_lesson(actor: User, performance: Performance, details: LessonDetails, today: date) -> FollowUpLesson:
    """A school records one follow-up lesson; more pupils than attended needs a reason."""
    if performance.status != PerformanceStatus.DELIVERED:
        raise LessonError("delivered_on", "Follow-up lessons can be recorded once the performance has been delivered")
    if details.delivered_on < performance.day:
        raise LessonError(
            "delivered_on", f"The lesson date must be on or after the performance ({performance.day:%-d %B %Y})"
        )
    if details.delivered_on > today:
        raise LessonError("delivered_on", "The lesson date must be today or in the past")
    attended = attended_by_year(performance)
    if details.year_group not in attended:
        raise LessonError("year_group", "Select a year group that saw this performance")
    if details.pupils > attended[details.year_group] and not details.excess_reason.strip():
        raise LessonError(
            "excess_reason",
            f"{attended[details.year_group]} pupils in Year {details.year_group} saw the performance: "
            "say why more took part in this lesson",
        )
    if details.pack_id is not None:
        pack = db.session.get(LessonPack, details.pack_id)
        if pack is None or pack.production_id != performance.request.production_id:
            raise LessonError("pack_id", "Select a lesson pack from the list")
    lesson = FollowUpLesson(
        school_id=performance.school_id,
        performance_id=performance.id,
        pack_id=details.pack_id,
        delivered_on=details.delivered_on,
        year_group=details.year_group,
        pupils=details.pupils,
        excess_reason=details.excess_reason.strip(),
        created_by_id=actor.id,
    )
    db.session.add(lesson)
    db.session.flush()
    audit.record(
        actor,
        "lesson.recorded",
        "performance",
        performance.id,
        school_id=performance.school_id,
        after={"lesson": lesson.id, "year_group": lesson.year_group, "pupils": lesson.pupils},
    )
    return lesson


EVALUATION_FIELDS = (
    "respondents",
    "confident_before",
    "confident_after",
    "know_help_before",
    "know_help_after",
    "staff_rating",
)


def evaluation_for(performance: Performance) -> EvaluationReturn | None:
    return db.session.scalar(select(EvaluationReturn).where(EvaluationReturn.performance_id == performance.id))


def save_evaluation(actor: User, performance: Performance, counts: dict[str, int]) -> EvaluationReturn:
    """Enter or correct the questionnaire results of one delivered performance."""
    if performance.status != PerformanceStatus.DELIVERED:
        raise LessonError("respondents", "Results can be entered once the performance has been delivered")
    for name in ("confident_before", "confident_after", "know_help_before", "know_help_after"):
        if counts[name] > counts["respondents"]:
            raise LessonError(name, "This cannot be more than the number of pupils who answered")
    if performance.pupils_attended is not None and counts["respondents"] > performance.pupils_attended:
        raise LessonError("respondents", f"Only {performance.pupils_attended} pupils attended the performance")
    evaluation = evaluation_for(performance)
    before = audit.snapshot(evaluation, EVALUATION_FIELDS) if evaluation else None
    if evaluation is None:
        evaluation = EvaluationReturn(performance_id=performance.id, created_by_id=actor.id)
        db.session.add(evaluation)
    for name in EVALUATION_FIELDS:
        setattr(evaluation, name, counts[name])
    db.session.flush()
    audit.record(
        actor,
        "evaluation.saved",
        "performance",
        performance.id,
        school_id=performance.school_id,
        before=before,
        after=audit.snapshot(evaluation, EVALUATION_FIELDS),
    )
    return evaluation


def delivered_performance(school_id: int, performance_id: int) -> Performance | None:
    """The school's performance once delivered (follow-up lessons and the questionnaire come after the show);
    None when it is not the school's or not delivered yet."""
    performance = db.session.scalar(
        select(Performance).where(Performance.id == performance_id, Performance.school_id == school_id)
    )
    return performance if performance is not None and performance.status == PerformanceStatus.DELIVERED else None
