"""The dashboard, its CSV exports and the API agree to the pupil, because they share one computation."""

import csv
import io
from datetime import timedelta

from portal.extensions import db
from portal.models import FollowUpLesson, PerformanceAttendance, PerformanceStatus, Role
from tests.factories import make_performance, make_request, make_school, make_season


def seed_delivered():
    season = make_season()
    for index, district in enumerate(["Cherwell", "Oxford", "Cherwell", "West Oxfordshire"]):
        request_ = make_request(make_school(district=district), season, year_groups={8: 60, 9: 60})
        performance = make_performance(
            request_,
            cast=season.casts[index // 3],
            day=request_.dates[index % 3].day,
            status=PerformanceStatus.DELIVERED,
            pupils_attended=0,
        )
        attendance = {8: 40 + index, 9: 30 + 2 * index}
        performance.attendance = [PerformanceAttendance(year_group=y, pupils=n) for y, n in attendance.items()]
        performance.pupils_attended = sum(attendance.values())
        db.session.add(
            FollowUpLesson(
                school_id=request_.school_id,
                performance_id=performance.id,
                delivered_on=performance.day + timedelta(days=7),
                year_group=8,
                pupils=35,
            )
        )
    db.session.flush()
    return season


def test_dashboard_csv_and_api_agree_and_every_split_adds_up(session, login_as):
    season = seed_delivered()
    council = login_as(Role.COUNCIL)
    reach = council.get(f"/api/v1/reach?season={season.id}").get_json()
    performances = council.get(f"/api/v1/performances?season={season.id}&status=delivered").get_json()
    attended = sum(item["pupils_attended"] for item in performances["items"])
    assert reach["seen_drama"] == attended == 4 * 70 + 3 * (0 + 1 + 2 + 3)
    assert reach["discussed_in_class"] == 4 * 35
    for breakdown in ("by_district", "by_year_group", "by_month"):
        assert sum(entry["seen_drama"] for entry in reach[breakdown]) == reach["seen_drama"]
        assert sum(entry["discussed_in_class"] for entry in reach[breakdown]) == reach["discussed_in_class"]
    totals = list(
        csv.DictReader(
            io.StringIO(council.get(f"/reach/export/totals.csv?season={season.id}").data.decode("utf-8-sig"))
        )
    )
    assert int(totals[0]["seen_drama"]) == reach["seen_drama"]
    assert int(totals[0]["discussed_in_class"]) == reach["discussed_in_class"]
    districts = csv.DictReader(
        io.StringIO(council.get(f"/reach/export/districts.csv?season={season.id}").data.decode("utf-8-sig"))
    )
    assert {row["district"]: int(row["seen_drama"]) for row in districts} == {
        entry["district"]: entry["seen_drama"] for entry in reach["by_district"]
    }
    page = council.get(f"/reach/?season={season.id}").get_data(as_text=True)
    assert f"{reach['seen_drama']:,}" in page
