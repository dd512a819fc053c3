"""Status tags drawn in Python: the GOV.UK tag markup, coloured by status, escaped, and a release told apart."""

from types import SimpleNamespace

from portal.domain.performances import RELEASED_LABEL
from portal.models import PerformanceStatus, RequestStatus
from portal.web.tags import performance_tag, status_tag


def test_a_status_is_a_govuk_tag_in_its_colour():
    assert status_tag(PerformanceStatus.CONFIRMED) == '<strong class="govuk-tag govuk-tag--green">Confirmed</strong>'
    assert status_tag(RequestStatus.SUBMITTED) == '<strong class="govuk-tag govuk-tag--blue">Submitted</strong>'


def test_a_performance_released_for_want_of_confirmation_is_not_shown_as_declined():
    released = SimpleNamespace(released_at="2027-01-04", status=PerformanceStatus.DECLINED, status_label=RELEASED_LABEL)
    declined = SimpleNamespace(released_at=None, status=PerformanceStatus.DECLINED, status_label="Declined")
    assert performance_tag(released) == f'<strong class="govuk-tag govuk-tag--orange">{RELEASED_LABEL}</strong>'
    assert performance_tag(declined) == '<strong class="govuk-tag govuk-tag--grey">Declined</strong>'


def test_a_tags_text_is_escaped():
    odd = SimpleNamespace(released_at=True, status=None, status_label="<b>odd</b>")
    assert "&lt;b&gt;odd&lt;/b&gt;" in performance_tag(odd)
