"""One shape for everything the rules refuse: the message a person reads, and the form field it belongs to."""

from __future__ import annotations

from collections.abc import Mapping


class Refused(ValueError):
    """A change the rules refuse, in words for the person making it. `problems` maps each form field at fault to its
    message; the field is "" when no one field is at fault. Every service's refusal is one of these, so a view shows
    any of them the same way (portal.web.fields.show_refusal).

    Refused("message"), Refused("field", "message") or Refused({"field": "message", ...})."""

    def __init__(self, field_or_problems: str | Mapping[str, str] = "", message: str | None = None) -> None:
        if isinstance(field_or_problems, Mapping):
            problems = dict(field_or_problems)
        elif message is None:
            problems = {"": field_or_problems}
        else:
            problems = {field_or_problems: message}
        super().__init__("; ".join(problems.values()))
        self.problems = problems

    @property
    def field(self) -> str:
        """The first field at fault ("" for none)."""
        return next(iter(self.problems), "")

    @property
    def message(self) -> str:
        """The first problem's message."""
        return next(iter(self.problems.values()), "")
