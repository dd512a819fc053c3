"""The scheduler's messages in a person's words, for pages and e-mails.

The scheduler's check() and its reasons for unplaced requests speak in instance ids (`cast "c5"`, `request "r50"`,
`performances[20]`, `2027-01-04 AM`, `13:30`): right for its command line, wrong for a tour manager. The portal
built the instance, so the instance names every id: these functions put the names back (school names, cast names,
production titles, "Monday 4 January 2027 at 1:30pm") without changing the scheduler's own messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from portal.domain.wording import clock_time, date_and_time, long_date

_POSITION = re.compile(r"^(?:performances|pinned)\[\d+\]: ")
_OTHER = re.compile(r" \(performances\[(\d+)\]\)")
_ID = re.compile(r'"?\b([scrp]\d+)\b"?')
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_CLOCK = re.compile(r"\b([01]\d|2[0-3]):([0-5]\d)\b")


@dataclass(frozen=True)
class InstanceNames:
    """What each id of an instance stands for, in words."""

    schools: dict[str, str]
    request_schools: dict[str, str]
    casts: dict[str, str]
    productions: dict[str, str]
    slots: dict[str, time]  # slot code -> start time

    @classmethod
    def of(cls, instance: dict) -> InstanceNames:
        schools = {school["id"]: school["name"] for school in instance.get("schools", [])}
        return cls(
            schools=schools,
            request_schools={
                request_["id"]: schools.get(request_["school"], "a school") for request_ in instance.get("requests", [])
            },
            casts={cast["id"]: cast["name"] for cast in instance.get("casts", [])},
            productions={production["id"]: production["title"] for production in instance.get("productions", [])},
            slots={slot["id"]: _parse_clock(slot["start"]) for slot in instance.get("slots", [])},
        )

    def name(self, instance_id: str) -> str:
        """The school, cast or production an id names; a request's id names its school's request."""
        kind = instance_id[0]
        if kind == "s":
            return self.schools.get(instance_id, "a school")
        if kind == "c":
            return self.casts.get(instance_id, "a cast")
        if kind == "p":
            return self.productions.get(instance_id, "a production")
        return f"{self.request_schools.get(instance_id, 'a school')}’s request"

    def slot_pattern(self) -> str:
        """A regular expression matching any of the season's slot codes (longest first: codes may hold spaces)."""
        codes = sorted(self.slots, key=len, reverse=True)
        return "|".join(re.escape(code) for code in codes) or r"(?!x)x"


def _parse_clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _day(match: re.Match) -> date:
    return date(int(match[1]), int(match[2]), int(match[3]))


def _common_words(text: str, names: InstanceNames) -> str:
    """Ids, dates (with their slot), slot codes and 24-hour times as words; the first letter a capital."""
    slots = names.slot_pattern()

    def at(code: str) -> str:
        return clock_time(names.slots[code])

    def offered(match: re.Match) -> str:
        what = "dates" if match[2] == "dates" else "times"
        return f"the {what} {names.request_schools.get(match[1], 'the school')} offered"

    day_slot = rf"\b(\d{{4}})-(\d{{2}})-(\d{{2}}) ({slots})(?=[ ,;:)]|$)"
    text = re.sub(day_slot, lambda m: date_and_time(_day(m), names.slots[m[4]]), text)
    text = re.sub(rf'slot "?({slots})"?', lambda m: f"the {at(m[1])} slot", text)
    text = re.sub(rf"the ({slots}) slot \([0-9:]+\)", lambda m: f"the {at(m[1])} slot", text)
    text = re.sub(r'request "?(r\d+)"?\'s (dates|slots)', offered, text)
    text = re.sub(r'(?:the )?hall of (?:school )?"?(?=s\d)', "the hall at ", text)
    text = re.sub(r'\b(?:cast|school) "?(?=[cs]\d)', "", text)
    text = re.sub(r'\brequest "?(?=r\d)', "", text)
    text = _ID.sub(lambda m: names.name(m[1]), text)
    text = _ISO_DATE.sub(lambda m: long_date(_day(m)), text)
    text = _CLOCK.sub(lambda m: clock_time(time(int(m[1]), int(m[2]))), text)
    return text[:1].upper() + text[1:]


# The checker's phrases that read like a program, and how a tour manager would say them (ids are named after).
_PHRASES = (
    (
        r": its performances hold (\d+) pupils but it has (\d+)",
        r": its performances would hold \1 pupils, more than the \2 asked for",
    ),
    (r"; its max_per_day is (\d+)", r": it gives at most \1 a day"),
    (r"\(audience cap (\d+), ", r"(the production holds \1, "),
    (
        r'^missing from the performances \((request "r\d+"), (.+), cast ("c\d+"), (\d+) pupils\)$',
        r"the performance for \1 on \2 by \3 (\4 pupils) is missing from the proposal",
    ),
    (r"it is ready at", "it can be ready at"),
    (r"^(\d+) pupils; a performance needs at least 1$", "a performance needs at least 1 pupil"),
)


def explain_breach(breach: str, instance: dict, performances: list[dict] | None = None) -> str:
    """One breach of check() in words; `performances` (the allocation's entries) names the performance it meets."""
    names = InstanceNames.of(instance)
    entries = performances or []

    def other(match: re.Match) -> str:
        index = int(match[1])
        if index < len(entries):
            return f" (for {names.request_schools.get(entries[index]['request'], 'another school')})"
        return ""

    text = _OTHER.sub(other, breach)
    text = _POSITION.sub("", text)
    for pattern, words in _PHRASES:
        text = re.sub(pattern, words, text)
    text = _common_words(text, names)
    return text.replace("’s request’s", "’s")


def explain_unplaced(reason: str, instance: dict, names: InstanceNames | None = None) -> str:
    """Why a request's pupils were not all placed (the scheduler's sentence), with names, dates and times in words
    (`names`: the instance's, when explaining many reasons of one instance)."""
    return _common_words(reason, names or InstanceNames.of(instance))
