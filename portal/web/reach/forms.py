from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice

from portal.domain.reach import Period
from portal.models import Season
from portal.web.fields import number_field
from portal.web.list_search import ListSearchForm
from portal.web.widgets import GovSelect, GovSubmitInput, GovTextInput


class TargetForm(FlaskForm):
    target = number_field("Target: pupils who see the drama", 1, 10_000_000)
    submit = SubmitField("Save target", widget=GovSubmitInput())


class TrainingTargetForm(FlaskForm):
    target = number_field("Target: staff trained", 1, 10_000_000)
    submit = SubmitField("Save training target", widget=GovSubmitInput())


class GovDateText(GovTextInput):
    """A date typed or picked as YYYY-MM-DD, as the dashboard's own period form takes it."""

    input_type = "date"


class SchoolListForm(ListSearchForm):
    """A reach table of schools: search and sort, and the period its figures cover (season, from, to), read from the
    address as the dashboard reads it."""

    season = SelectField("Season", widget=GovSelect(), validate_choice=False)
    start = StringField("From", name="from", widget=GovDateText())
    end = StringField("To", name="to", widget=GovDateText())

    def show_period(self, period: Period, seasons: list[Season]) -> None:
        """Show the period the figures were computed for (an unreadable part of the address shows as no limit)."""
        self.season.choices = [SelectChoice("", "All seasons"), *(SelectChoice(str(s.id), s.name) for s in seasons)]
        self.season.data = str(period.season_id or "")
        self.start.data = period.start.isoformat() if period.start else ""
        self.end.data = period.end.isoformat() if period.end else ""
