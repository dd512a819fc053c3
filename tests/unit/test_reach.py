from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from portal.domain.reach import (
    Attendance,
    Evaluation,
    Lesson,
    Period,
    Planned,
    compute_reach,
    discussed_counts,
    projection,
    summarise_evaluations,
)

SEEN = [
    Attendance(1, "Cherwell", 10, date(2027, 1, 11), 9, 100),
    Attendance(1, "Cherwell", 10, date(2027, 1, 12), 9, 20),
    Attendance(2, "Oxford", 10, date(2027, 2, 1), 8, 60),
]


def reach(lessons=(), planned=(), period=Period()):
    return compute_reach(SEEN, list(lessons), list(planned), target=18000, schools_total=40, period=period)


def test_seen_the_drama_adds_up_attendance_of_delivered_performances():
    result = reach()
    assert result.totals.seen_drama == 180
    assert result.schools_reached == 2
    assert result.by_district["Cherwell"].seen_drama == 120
    assert result.by_year_group[8].seen_drama == 60
    assert result.by_month["2027-01"].seen_drama == 120


def test_a_pack_of_four_lessons_counts_a_class_once():
    lessons = [Lesson(1, "Cherwell", 10, date(2027, 1, 20 + week), 9, 30) for week in range(4)]
    assert reach(lessons).totals.discussed_in_class == 30


def test_discussed_takes_the_largest_lesson_and_never_more_than_attended():
    lessons = [
        Lesson(1, "Cherwell", 10, date(2027, 1, 20), 9, 50),
        Lesson(1, "Cherwell", 10, date(2027, 2, 3), 9, 500),
    ]
    (counted,) = discussed_counts(SEEN, lessons)
    assert counted.pupils == 120  # attended year 9 at school 1 in season 10
    assert counted.day == date(2027, 2, 3)  # the first lesson that reached the count


def test_discussed_falls_in_the_month_of_the_first_lesson_that_reached_it():
    lessons = [Lesson(1, "Cherwell", 10, date(2027, 1, 25), 9, 90), Lesson(1, "Cherwell", 10, date(2027, 3, 1), 9, 90)]
    result = reach(lessons)
    assert result.by_month["2027-01"].discussed_in_class == 90
    assert "2027-03" not in result.by_month


def test_a_lesson_with_no_performance_behind_it_counts_nothing():
    assert reach([Lesson(3, "Oxford", 10, date(2027, 1, 25), 9, 90)]).totals.discussed_in_class == 0


def test_a_period_narrows_every_figure():
    planned = [Planned(1, "Cherwell", 10, date(2027, 3, 1), 120)]
    result = reach(planned=planned, period=Period(start=date(2027, 2, 1), end=date(2027, 3, 31)))
    assert result.totals.seen_drama == 60
    assert result.totals.planned == 120
    assert reach(period=Period(season_id=99)).totals.seen_drama == 0


attendance_rows = st.builds(
    Attendance,
    school_id=st.integers(1, 4),
    district=st.sampled_from(["A", "B"]),
    season_id=st.integers(1, 2),
    day=st.dates(date(2027, 1, 1), date(2027, 6, 30)),
    year_group=st.integers(7, 13),
    pupils=st.integers(0, 150),
)
lesson_rows = st.builds(
    Lesson,
    school_id=st.integers(1, 4),
    district=st.sampled_from(["A", "B"]),
    season_id=st.integers(1, 2),
    day=st.dates(date(2027, 1, 1), date(2027, 6, 30)),
    year_group=st.integers(7, 13),
    pupils=st.integers(1, 200),
)


@given(st.lists(attendance_rows, max_size=30), st.lists(lesson_rows, max_size=30))
def test_every_breakdown_splits_both_totals_exactly(attendance, lessons):
    result = compute_reach(attendance, lessons, [], target=18000, schools_total=10)
    for table in (result.by_district, result.by_school, result.by_year_group, result.by_month):
        assert sum(f.seen_drama for f in table.values()) == result.totals.seen_drama
        assert sum(f.discussed_in_class for f in table.values()) == result.totals.discussed_in_class
    assert result.totals.discussed_in_class <= result.totals.seen_drama


def test_projection_follows_the_pace_so_far():
    months = reach().by_month
    forecast = projection(months, 18000, date(2027, 2, 15))
    assert forecast["per_month"] == 90
    assert forecast["months_to_target"] == 198


def test_evaluations_add_up_counts_and_average_the_staff_rating():
    returns = [Evaluation(1, "A", 100, 40, 80, 50, 90, 4), Evaluation(2, "B", 50, 10, 30, 20, 40, 5)]
    summary = summarise_evaluations(returns)
    assert summary["respondents"] == 150
    assert summary["confident_after"] == 110
    assert summary["staff_rating"] == 4.5
    assert summary["confident_before_share"] == round(50 / 150, 3)
