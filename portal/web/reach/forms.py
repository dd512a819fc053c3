from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from portal.web.fields import number_field


class TargetForm(FlaskForm):
    target = number_field("Target: pupils who see the drama", 1, 10_000_000)
    submit = SubmitField("Save target", widget=GovSubmitInput())
