"""What each person is told to do next, where each request has got to, and the council's pipeline and chart."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain import todos
from portal.domain.addresses import address_lines
from portal.domain.pipeline import Booked, Requested, compute_pipeline
from portal.domain.reach import Attendance, Figures, Lesson, Period, Planned, compute_reach, running_totals
from portal.domain.request_stages import RequestStage, request_stage
from portal.web.reach.chart import progress_chart

TODAY = date(2027, 1, 4)


@pytest.mark.parametrize(
    ("statuses", "stage"),
    [
        ([], RequestStage.SUBMITTED),
        (["declined", "cancelled"], RequestStage.SUBMITTED),  # all it had fell through: waiting again
        (["provisional", "confirmed"], RequestStage.ALLOCATED),
        (["confirmed", "delivered", "declined"], RequestStage.CONFIRMED),
        (["delivered", "delivered"], RequestStage.DELIVERED),
        (["provisional", "delivered"], RequestStage.ALLOCATED),
    ],
)
def test_a_request_is_as_far_on_as_its_least_advanced_live_performance(statuses, stage):
    assert request_stage(False, statuses) == stage


def test_a_withdrawn_request_stays_withdrawn():
    assert request_stage(True, ["provisional"]) == RequestStage.WITHDRAWN


def test_a_school_confirms_by_the_earliest_date_and_the_banner_says_so():
    todo = todos.school_todo(
        confirm_by=[date(2027, 1, 6), date(2027, 1, 6), date(2027, 1, 20)],
        follow_up=[],
        questionnaires=[],
        seasons_to_request=[],
        hall_capacity_missing=False,
        today=TODAY,
    )
    (task,) = todo.tasks
    assert task.title == "Confirm 3 performances"
    assert task.deadline == date(2027, 1, 6)
    assert task.hint == "The first by 6 January 2027: each unconfirmed by its date is offered to others"
    assert todo.banners == ["Confirm 2 performances by 6 January 2027"]


def test_a_school_is_told_when_requests_close_today():
    season = todos.SeasonFacts(7, "Spring tour", "open", TODAY)
    todo = todos.school_todo(
        confirm_by=[TODAY],
        follow_up=[31],
        questionnaires=[31, 32],
        seasons_to_request=[season],
        hall_capacity_missing=True,
        today=TODAY,
    )
    assert [task.key for task in todo.tasks] == ["confirm", "follow_up", "questionnaire", "request", "profile"]
    assert todo.tasks[1].target_id == 31  # one performance: the link goes straight to it
    assert todo.tasks[2].target_id is None
    assert todo.tasks[2].title == "Enter the questionnaire results for 2 performances"
    assert todo.banners == ["Confirm 1 performance today", "Requests for Spring tour close today"]


def test_follow_up_asks_for_each_year_group_that_saw_it_and_stops_after_a_while():
    day = date(2026, 12, 1)
    assert todos.needs_follow_up(day, {8, 9}, {8}, TODAY)
    assert not todos.needs_follow_up(day, {8, 9}, {8, 9}, TODAY)
    assert not todos.needs_follow_up(date(2026, 6, 1), {8}, set(), TODAY)
    assert todos.needs_questionnaire(day, 120, False, TODAY)
    assert not todos.needs_questionnaire(day, 120, True, TODAY)
    assert not todos.needs_questionnaire(day, 0, False, TODAY)


def test_the_company_allocates_seasons_past_their_deadline_and_records_past_performances():
    seasons = [
        todos.SeasonFacts(1, "Autumn", "open", date(2027, 1, 1), requests=30),
        todos.SeasonFacts(2, "Summer", "open", date(2027, 5, 1), requests=3),
        todos.SeasonFacts(3, "Next year", "draft", date(2027, 9, 1)),
        todos.SeasonFacts(4, "Last year", "published", date(2026, 1, 1), requests=40),
    ]
    earliest = (8, date(2026, 12, 18))
    todo = todos.company_todo(
        seasons=seasons, to_record=2, earliest_to_record=earliest, lapsing=[(TODAY, 60)], today=TODAY
    )
    assert [(task.key, task.target_id) for task in todo.tasks] == [
        ("allocate", 1),
        ("open_season", 3),
        ("record", None),
        ("lapsing", None),
    ]
    assert todo.tasks[0].hint == "30 requests; requests closed on 1 January 2027"
    assert todo.tasks[2].title == "Record 2 performances as delivered or cancelled"
    assert todo.tasks[2].hint == "The earliest was on Friday 18 December 2026"
    assert todo.banners == [
        "1 performance (60 pupils) will be released unless confirmed today",
        "Requests for Autumn closed on 1 January 2027: it is ready to allocate",
    ]


def test_the_council_sees_performances_about_to_lapse_and_schools_not_reached():
    todo = todos.council_todo(
        pending_since=[date(2026, 12, 30), date(2027, 1, 2)],
        lapsing=[(date(2027, 1, 6), 120), (date(2027, 1, 5), 90)],
        not_reached=12,
        not_reached_without_request=5,
        seasons=[todos.SeasonFacts(1, "Spring tour", "open", date(2027, 1, 8))],
        today=TODAY,
    )
    titles = [task.title for task in todo.tasks]
    assert titles == [
        "Approve or refuse 2 accounts",
        "2 performances about to lapse unconfirmed",
        "12 schools not reached yet",
    ]
    assert todo.tasks[0].hint == "The oldest has waited since 30 December 2026"
    assert todo.tasks[2].hint == "5 of them have not asked for a performance in Spring tour"
    assert todo.banners == [
        "2 performances (210 pupils) will be released unless confirmed by 5 January 2027",
        "Requests for Spring tour close on 8 January 2027",
    ]


def test_an_administrator_is_told_of_failing_email_and_a_made_up_cse_number():
    todo = todos.admin_todo(retrying=3, without_second_factor=1, team_phone="01632 960 000")
    assert [task.key for task in todo.tasks] == ["outbox", "second_factor", "settings"]
    assert not todos.admin_todo(retrying=0, without_second_factor=0, team_phone="0345 050 7666").tasks


def test_the_address_gives_town_and_postcode_once():
    assert address_lines("1 School Lane, Banbury", "Banbury", "OX16 7DQ") == ["1 School Lane", "Banbury", "OX16 7DQ"]
    assert address_lines("", "Banbury", "OX16 7DQ") == ["Banbury", "OX16 7DQ"]


def test_provisional_performances_are_not_planned_but_what_planned_could_gain():
    planned = [
        Planned(1, "Cherwell", 10, date(2027, 3, 1), 120),
        Planned(2, "Oxford", 10, date(2027, 3, 2), 90, confirmed=False),
    ]
    reach = compute_reach([], [], planned, target=18000, schools_total=2)
    assert reach.totals.planned == 120
    assert reach.provisional == 90
    assert "Oxford" not in reach.by_district  # provisional pupils are in no breakdown


def test_running_totals_have_every_month_up_to_this_one():
    by_month = {"2026-10": Figures(100, 0), "2027-01": Figures(50, 80), "2027-03": Figures(0, 0, planned=60)}
    assert running_totals(by_month, date(2027, 2, 15)) == [
        ("2026-10", 100, 0),
        ("2026-11", 100, 0),
        ("2026-12", 100, 0),
        ("2027-01", 150, 80),
        ("2027-02", 150, 80),
    ]
    assert running_totals(by_month, date(2027, 2, 15), end=date(2026, 11, 30))[-1] == ("2026-11", 100, 0)


def test_the_chart_marks_every_month_and_projects_from_today():
    totals = [("2026-10", 100, 0), ("2026-11", 100, 0), ("2026-12", 100, 0), ("2027-01", 150, 80)]
    chart = progress_chart(totals, 1000, date(2027, 1, 31), 50)
    assert chart["months"] == 4 + 6  # four months so far, six projected
    assert len(chart["ticks"]) == chart["months"] + 1
    assert [label[1] for label in chart["labels"]] == [
        "Oct",
        "Nov",
        "Dec",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
    ]
    assert [label[2] for label in chart["labels"] if label[2]] == ["2026", "2027"]
    # The seen line ends today (the end of January here) and the projection starts there.
    last_seen = chart["seen"].split()[-1]
    assert chart["projection"].split()[0] == last_seen
    assert float(last_seen.split(",")[0]) == chart["today_x"] == chart["ticks"][4]


def test_no_projection_without_a_pace_or_for_a_period_in_the_past():
    totals = [("2026-10", 100, 0)]
    assert progress_chart(totals, 1000, date(2027, 1, 15), 0)["projection"] == ""
    assert progress_chart(totals, 1000, date(2027, 1, 15), 50)["projection"] == ""  # the period ended in October


def test_the_pipeline_shows_where_pupils_are_at_each_step():
    requested = [
        Requested(1, "Cherwell", 10, date(2027, 1, 4), date(2027, 3, 26), 480),
        Requested(2, "Oxford", 10, date(2027, 1, 4), date(2027, 3, 26), 120),
        Requested(3, "Oxford", 11, date(2027, 9, 6), date(2027, 12, 17), 60),
    ]
    booked = [
        Booked(1, "Cherwell", 10, date(2027, 1, 12), "provisional", 120),
        Booked(1, "Cherwell", 10, date(2027, 1, 13), "confirmed", 120),
        Booked(2, "Oxford", 10, date(2027, 1, 14), "declined", 120),
    ]
    attendance = [Attendance(1, "Cherwell", 10, date(2027, 1, 11), 9, 110)]
    lessons = [Lesson(1, "Cherwell", 10, date(2027, 1, 20), 9, 100)]
    pipeline = compute_pipeline(requested, booked, attendance, lessons, Period(season_id=10))
    assert pipeline.totals.values() == [600, 120, 120, 110, 100]
    assert pipeline.by_district["Oxford"].values() == [120, 0, 0, 0, 0]  # the leak: nothing placed or kept
    assert pipeline.by_school[1].values() == [480, 120, 120, 110, 100]
    spring_only = compute_pipeline(requested, booked, attendance, lessons, Period(start=date(2027, 6, 1)))
    assert spring_only.totals.values() == [60, 0, 0, 0, 0]


def test_a_school_without_an_office_phone_is_asked_for_one_and_for_its_hall_in_one_step():
    def profile_tasks(hall_missing: bool, phone_missing: bool) -> list[str]:
        todo = todos.school_todo(
            confirm_by=[],
            follow_up=[],
            questionnaires=[],
            seasons_to_request=[],
            hall_capacity_missing=hall_missing,
            office_phone_missing=phone_missing,
            today=TODAY,
        )
        return [task.title for task in todo.tasks if task.key == "profile"]

    assert profile_tasks(False, False) == []
    assert profile_tasks(False, True) == ["Tell us your school office’s phone number"]
    assert profile_tasks(True, False) == ["Tell us how many pupils your hall holds"]
    assert profile_tasks(True, True) == ["Tell us how many pupils your hall holds and your office phone number"]
