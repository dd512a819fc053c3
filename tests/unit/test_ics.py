from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from portal.domain.ics import CalendarEvent, calendar_bytes

LONDON = ZoneInfo("Europe/London")


def event(uid: str, start: datetime) -> CalendarEvent:
    end = start.replace(hour=start.hour + 1)
    stamp = datetime(2026, 11, 30, tzinfo=UTC)
    return CalendarEvent(uid, stamp, start, end, "Drama", "Hall", "Notes", "CONFIRMED", 0)


def test_events_either_side_of_a_clock_change_keep_their_local_times():
    winter = event("a@portal", datetime(2027, 3, 26, 9, 15, tzinfo=LONDON))
    summer = event("b@portal", datetime(2027, 3, 29, 9, 15, tzinfo=LONDON))
    calendar = Calendar.from_ical(calendar_bytes([winter, summer], "Performances", "feed@portal"))
    starts = {str(item["UID"]): item.start for item in calendar.events}
    assert starts["a@portal"].utcoffset().total_seconds() == 0
    assert starts["b@portal"].utcoffset().total_seconds() == 3600
    assert starts["b@portal"].hour == 9


def test_the_time_zone_covers_the_calendars_years_only_and_names_appear_once():
    events = [event("a@portal", datetime(2027, 1, 11, 9, 15, tzinfo=LONDON))]
    later = [event("b@portal", datetime(2028, 7, 3, 13, 30, tzinfo=LONDON))]
    one_year = calendar_bytes(events, "Performances", "feed@portal")
    two_years = calendar_bytes(events + later, "Performances", "feed@portal")
    calendar = Calendar.from_ical(two_years)
    assert [zone.tz_name for zone in calendar.timezones] == ["Europe/London"]
    assert b"20270328" in one_year and b"20280326" not in one_year  # the clocks going forward, by year
    assert b"20270328" in two_years and b"20280326" in two_years
    assert b"19710" not in two_years  # not every change since 1970
    assert two_years.count(b"X-WR-CALNAME:Performances") == 1
    assert calendar_bytes(events, "Performances", "feed@portal") == one_year


def test_an_empty_calendar_has_no_time_zone():
    calendar = Calendar.from_ical(calendar_bytes([], "Performances", "feed@portal"))
    assert calendar.timezones == []
    assert calendar.events == []
