"""Every refusal has one shape: a message for the person and the form field it belongs to."""

from __future__ import annotations

from portal.domain.refusals import Refused


def test_a_refusal_names_its_field_or_none():
    assert Refused("Enter a date").problems == {"": "Enter a date"}
    assert Refused("day", "Enter a date").problems == {"day": "Enter a date"}
    both = Refused({"day": "Enter a date", "slot": "Select a time"})
    assert (both.field, both.message, str(both)) == ("day", "Enter a date", "Enter a date; Select a time")


def test_every_service_error_is_a_refusal():
    from portal.services import (
        accounts,
        allocations,
        api_tokens,
        lessons,
        packs,
        performances,
        recovery,
        requests,
        seasons,
        second_factor,
    )

    errors = [
        accounts.AccountError, allocations.AllocationError, api_tokens.TokenError, lessons.LessonError,
        packs.PackError, performances.PerformanceError, recovery.LinkError, requests.RequestError,
        second_factor.SecondFactorError, seasons.SeasonError,
    ]  # fmt: skip
    assert all(issubclass(error, Refused) for error in errors)
