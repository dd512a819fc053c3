"""The GOV.UK form widgets of govuk-frontend-wtf, each drawn once per worker for the same parameters
(portal.web.components): a form's fields are the same on every visit until someone types into them, and each field
otherwise costs a whole render_template. Forms import their widgets from here."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import Markup

from portal.web.components import drawn


class DrawnOnce:
    template: str

    def render(self, params: dict[str, Any]) -> Markup:
        return drawn(("widget", self.template), params, lambda: super(DrawnOnce, self).render(params))  # type: ignore[misc]


class GovTextInput(DrawnOnce, gov.GovTextInput):
    pass


class GovPasswordInput(DrawnOnce, gov.GovPasswordInput):
    pass


class GovCheckboxesInput(DrawnOnce, gov.GovCheckboxesInput):
    pass


class GovCheckboxInput(DrawnOnce, gov.GovCheckboxInput):
    pass


class GovRadioInput(DrawnOnce, gov.GovRadioInput):
    pass


class GovDateInput(DrawnOnce, gov.GovDateInput):
    pass


class GovFileInput(DrawnOnce, gov.GovFileInput):
    pass


class GovSubmitInput(DrawnOnce, gov.GovSubmitInput):
    pass


class GovTextArea(DrawnOnce, gov.GovTextArea):
    pass


class GovCharacterCount(DrawnOnce, gov.GovCharacterCount):
    pass


class GovSelect(DrawnOnce, gov.GovSelect):
    pass
