"""What each person should do next: the to-do list that opens each role's home page, and its deadlines.

The services gather the facts (counts and dates); these rules decide what is a task, how urgent it is and how it
reads. Every task names a `key` the web layer links to the page where the task is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.domain.requests import can_change_request

# A school is reminded to follow up (lessons, questionnaire) performances delivered in the last this many days.
FOLLOW_UP_DAYS = 90
# Request deadlines this close appear as banners, not only as tasks.
DEADLINE_BANNER_DAYS = 7


@dataclass(frozen=True)
class Task:
    key: str  # what the task is about, for the page to link to: "confirm", "allocate"...
    title: str  # "Confirm 2 performances"
    hint: str = ""
    deadline: date | None = None
    target_id: int | None = None  # the one record the task is about, when there is only one


@dataclass
class ToDo:
    tasks: list[Task] = field(default_factory=list)
    banners: list[str] = field(default_factory=list)  # deadlines, the most urgent first


@dataclass(frozen=True)
class SeasonFacts:
    id: int
    name: str
    status: str  # draft, open or published
    request_deadline: date
    requests: int = 0  # live requests in the season


def plural(count: int, word: str, words: str | None = None) -> str:
    """1 performance, 2 performances (1,330 pupils)."""
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def day_words(day: date) -> str:
    """4 January 2027."""
    return f"{day.day} {day:%B %Y}"


def when_words(day: date, today: date) -> str:
    """today, tomorrow, or on 4 January 2027 (yesterday and before: on the date)."""
    if day == today:
        return "today"
    return "tomorrow" if (day - today).days == 1 else f"on {day_words(day)}"


def _closing(season: SeasonFacts, today: date) -> str | None:
    """The banner for a season whose requests close soon, None when the deadline is further off or past."""
    if season.status != "open" or not 0 <= (season.request_deadline - today).days <= DEADLINE_BANNER_DAYS:
        return None
    return f"Requests for {season.name} close {when_words(season.request_deadline, today)}"


def confirm_task(confirm_by: list[date | None], today: date) -> tuple[Task | None, str | None]:
    """Provisional performances still in time to confirm: the task, and the banner for the earliest date."""
    if not confirm_by:
        return None, None
    dated = sorted(day for day in confirm_by if day is not None)
    first = dated[0] if dated else None
    title = f"Confirm {plural(len(confirm_by), 'performance')}"
    if first is None:
        return Task("confirm", title, "Confirm or decline each one"), None
    due_first = plural(dated.count(first), "performance")
    by = "today" if first == today else f"by {day_words(first)}"
    if len(confirm_by) == 1:
        hint = f"Confirm or decline it {by}, or the place is offered to others"
    elif dated.count(first) == len(confirm_by):
        hint = f"Confirm or decline them {by}, or the places are offered to others"
    else:
        hint = f"The first {by}: each unconfirmed by its date is offered to others"
    return Task("confirm", title, hint, first), f"Confirm {due_first} {by}"


def needs_follow_up(day: date, attended_years: set[int], lesson_years: set[int], today: date) -> bool:
    """A recent delivered performance with a year group that saw it and has no follow-up lesson recorded yet."""
    return 0 <= (today - day).days <= FOLLOW_UP_DAYS and bool(attended_years - lesson_years)


def needs_questionnaire(day: date, pupils_attended: int | None, has_results: bool, today: date) -> bool:
    """A recent delivered performance that pupils attended and whose questionnaire results are not in yet."""
    return 0 <= (today - day).days <= FOLLOW_UP_DAYS and bool(pupils_attended) and not has_results


def school_todo(
    *,
    confirm_by: list[date | None],
    follow_up: list[int],
    questionnaires: list[int],
    seasons_to_request: list[SeasonFacts],
    hall_capacity_missing: bool,
    today: date,
    office_phone_missing: bool = False,
) -> ToDo:
    """A school's next steps: confirm performances, follow them up in class, enter results, ask for a season."""
    todo = ToDo()
    task, banner = confirm_task(confirm_by, today)
    if task:
        todo.tasks.append(task)
    if banner:
        todo.banners.append(banner)
    if follow_up:
        one = follow_up[0] if len(follow_up) == 1 else None
        todo.tasks.append(
            Task(
                "follow_up",
                f"Record the follow-up lessons for {plural(len(follow_up), 'performance')}",
                "Download the lesson pack for each year group, teach it, then record each lesson and its pupils",
                target_id=one,
            )
        )
    if questionnaires:
        one = questionnaires[0] if len(questionnaires) == 1 else None
        todo.tasks.append(
            Task(
                "questionnaire",
                f"Enter the questionnaire results for {plural(len(questionnaires), 'performance')}",
                "How many pupils answered, what they knew before and after, and your staff rating",
                target_id=one,
            )
        )
    for season in seasons_to_request:
        closes = when_words(season.request_deadline, today)
        todo.tasks.append(
            Task(
                "request",
                f"Request a performance in {season.name}",
                f"Requests close {closes}",
                season.request_deadline,
                season.id,
            )
        )
        if banner := _closing(season, today):
            todo.banners.append(banner)
    if task := _profile_task(hall_capacity_missing, office_phone_missing):
        todo.tasks.append(task)
    return todo


def _profile_task(hall_capacity_missing: bool, office_phone_missing: bool) -> Task | None:
    """What the school profile lacks that the scheduler (the hall's size) or the cast on the day (a phone) needs."""
    if hall_capacity_missing and office_phone_missing:
        return Task(
            "profile",
            "Tell us how many pupils your hall holds and your office phone number",
            "So that performances are the right size and the cast can call you on the day",
        )
    if hall_capacity_missing:
        return Task("profile", "Tell us how many pupils your hall holds", "So that performances are the right size")
    if office_phone_missing:
        return Task("profile", "Tell us your school office’s phone number", "So that the cast can call you on the day")
    return None


def _lapsing_task(lapsing: list[tuple[date, int]], today: date) -> tuple[Task, str]:
    """Provisional performances about to lapse unconfirmed (see lapses.performances_about_to_lapse): the task and
    the banner for the earliest confirm-by date."""
    first = min(day for day, _ in lapsing)
    pupils = sum(pupils for _, pupils in lapsing)
    count = plural(len(lapsing), "performance")
    hint = f"{plural(pupils, 'pupil')}; the first must be confirmed by {day_words(first)}"
    by = "today" if first == today else f"by {day_words(first)}"
    banner = f"{count} ({plural(pupils, 'pupil')}) will be released unless confirmed {by}"
    return Task("lapsing", f"{count} about to lapse unconfirmed", hint, first), banner


def company_todo(
    *,
    seasons: list[SeasonFacts],
    to_record: int,
    today: date,
    earliest_to_record: tuple[int, date] | None = None,
    lapsing: list[tuple[date, int]] | None = None,
) -> ToDo:
    """The company's next steps: open draft seasons, allocate closed ones, record performances that have happened,
    and know which performances are about to lapse unconfirmed (to_record: how many have happened unrecorded,
    earliest_to_record: the id and day of the earliest)."""
    todo = ToDo()
    for season in seasons:
        if season.status == "draft":
            todo.tasks.append(
                Task(
                    "open_season", f"Open {season.name} for requests", "Schools cannot see it yet", target_id=season.id
                )
            )
        elif season.status == "open" and season.request_deadline < today:
            closed = day_words(season.request_deadline)
            todo.tasks.append(
                Task(
                    "allocate",
                    f"Allocate {season.name}",
                    f"{plural(season.requests, 'request')}; requests closed on {closed}",
                    target_id=season.id,
                )
            )
            todo.banners.append(f"Requests for {season.name} closed on {closed}: it is ready to allocate")
        elif banner := _closing(season, today):
            todo.banners.append(banner)
    if to_record and earliest_to_record:
        oldest_id, oldest = earliest_to_record
        todo.tasks.append(
            Task(
                "record",
                f"Record {plural(to_record, 'performance')} as delivered or cancelled",
                f"The earliest was on {oldest:%A} {day_words(oldest)}",
                target_id=oldest_id if to_record == 1 else None,
            )
        )
    if lapsing:
        task, banner = _lapsing_task(lapsing, today)
        todo.tasks.append(task)
        todo.banners.insert(0, banner)
    return todo


def council_todo(
    *,
    pending_since: list[date],
    lapsing: list[tuple[date, int]],
    not_reached: int,
    not_reached_without_request: int,
    seasons: list[SeasonFacts],
    today: date,
) -> ToDo:
    """The council's next steps: accounts to decide, performances about to lapse, schools not reached yet."""
    todo = ToDo()
    if pending_since:
        todo.tasks.append(
            Task(
                "approvals",
                f"Approve or refuse {plural(len(pending_since), 'account')}",
                f"The oldest has waited since {day_words(min(pending_since))}",
            )
        )
    if lapsing:
        task, banner = _lapsing_task(lapsing, today)
        todo.tasks.append(task)
        todo.banners.append(banner)
    open_seasons = [
        season for season in seasons if season.status == "open" and can_change_request(season.request_deadline, today)
    ]
    if not_reached:
        hint = "No performance delivered there yet"
        if open_seasons and not_reached_without_request:
            names = " or ".join(season.name for season in open_seasons)
            has = "has" if not_reached_without_request == 1 else "have"
            hint = f"{not_reached_without_request:,} of them {has} not asked for a performance in {names}"
        todo.tasks.append(Task("not_reached", f"{plural(not_reached, 'school')} not reached yet", hint))
    for season in seasons:
        if closing := _closing(season, today):
            todo.banners.append(closing)
    return todo


def is_drama_number(phone: str) -> bool:
    """Ofcom keeps 01632 960000 to 960999 for drama: never a real line, so never a number to signpost."""
    return "".join(ch for ch in phone if ch.isdigit()).startswith("01632960")


def admin_todo(*, retrying: int, without_second_factor: int, team_phone: str) -> ToDo:
    """An administrator's next steps: e-mail that does not go, accounts without their second factor, the CSE team."""
    todo = ToDo()
    if retrying:
        todo.tasks.append(
            Task(
                "outbox",
                f"{plural(retrying, 'email')} failing to send",
                "The portal keeps trying; check the mail server if the number grows",
            )
        )
    if without_second_factor:
        todo.tasks.append(
            Task(
                "second_factor",
                f"{plural(without_second_factor, 'account')} without an authenticator app",
                "Until they set one up, through a link e-mailed to them, they can sign in but do nothing else",
            )
        )
    if is_drama_number(team_phone):
        todo.tasks.append(
            Task(
                "settings",
                "Give the real phone number of the CSE team every page signposts",
                f"{team_phone} is a made-up number, kept for examples",
            )
        )
    return todo
