"""Form fields whose every error reads like GOV.UK guidance, and that never fail on odd input."""

from __future__ import annotations

from datetime import date, time

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, StringField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from portal.domain.numbers import decimal_number, is_ascii_digits
from portal.domain.refusals import Refused
from portal.domain.requests import YEAR_GROUPS
from portal.web.widgets import GovDateInput, GovTextInput

# The largest id an INTEGER primary key holds on both databases; larger ones cannot name a row.
MAX_ID = 2**31 - 1


def database_ids(values) -> list[int]:
    """The posted ids that could name a row; others are dropped (and then fail validation as missing)."""
    return [value for value in values or [] if isinstance(value, int) and 0 < value <= MAX_ID]


def database_id(value) -> int | None:
    return value if isinstance(value, int) and 0 < value <= MAX_ID else None


def parse_iso_date(value: str | None) -> date | None:
    """A YYYY-MM-DD date from a URL, or None for anything else."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


class WholeNumberField(IntegerField):
    """A whole number; 'Not a valid integer value.' becomes '<Label> must be a whole number, like 60'."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            raw = valuelist[0].strip().replace(",", "")
            if not is_ascii_digits(raw) or len(raw) > 9:
                self.data = None
                raise ValueError(f"{self.label.text} must be a whole number, like 60")
            self.data = int(raw)
        else:
            self.data = None


EMAIL_FORMAT = "Enter an email address in the correct format, like name@school.org.uk"


def email_field(label: str, missing: str) -> StringField:
    """An e-mail address field: required, at most 254 characters, in the usual shape (no DNS look-up)."""
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[
            InputRequired(message=missing),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(
                message="Enter an email address in the correct format, like name@school.org.uk",
                check_deliverability=False,
            ),
        ],
    )


def number_field(label: str, minimum: int, maximum: int, required: bool = True, **kwargs) -> WholeNumberField:
    validators = [InputRequired(message=f"Enter {label[0].lower() + label[1:]}")] if required else [Optional()]
    validators.append(NumberRange(minimum, maximum, message=f"{label} must be between {minimum} and {maximum}"))
    return WholeNumberField(label, widget=GovTextInput(), validators=validators, **kwargs)


class DecimalNumberField(Field):
    """A number that may have a decimal point, like 1.3."""

    widget = GovTextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:g}"

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                value = decimal_number(valuelist[0].strip())
            except ValueError:
                raise ValueError(f"{self.label.text} must be a number, like 1.3") from None
            if value in (float("inf"), float("-inf")):  # 400 nines overflow
                raise ValueError(f"{self.label.text} must be a number, like 1.3")
            self.data = value


class GovDateField(Field):
    """Day, month and year boxes (GOV.UK date input) with GOV.UK error messages."""

    widget = GovDateInput()

    def process_formdata(self, valuelist):
        self.data = None
        parts = [str(value).strip() for value in valuelist][:3]
        # The widget unpacks exactly three values: keep raw_data that shape whatever was posted.
        self.raw_data = (parts + ["", "", ""])[:3]
        if not any(parts):
            return
        day, month, year = self.raw_data
        if not (is_ascii_digits(day) and is_ascii_digits(month) and is_ascii_digits(year) and len(year) == 4):
            raise ValueError(f"{self.label.text} must be a real date, like 27 3 2027")
        try:
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"{self.label.text} must be a real date, like 27 3 2027") from None

    def _value(self):
        return self.data.strftime("%d %m %Y") if self.data else ""


class ClockTimeField(Field):
    """A time of day typed as 9:15 or 13:30."""

    widget = GovTextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip().replace(".", ":")
        if not raw:
            return
        hours, _, minutes = raw.partition(":")
        digits = is_ascii_digits(hours) and is_ascii_digits(minutes) and len(hours) <= 2 and len(minutes) == 2
        if not digits or int(hours) > 23 or int(minutes) > 59:
            raise ValueError(f"{self.label.text} must be a time on the 24-hour clock, like 09:15 or 13:30")
        self.data = time(int(hours), int(minutes))


class YearGroupCountsForm(FlaskForm):
    """Pupils in each year group from 7 to 13: numbers only, never a list of pupils."""

    year_7 = number_field("Year 7", 0, 1000, required=False)
    year_8 = number_field("Year 8", 0, 1000, required=False)
    year_9 = number_field("Year 9", 0, 1000, required=False)
    year_10 = number_field("Year 10", 0, 1000, required=False)
    year_11 = number_field("Year 11", 0, 1000, required=False)
    year_12 = number_field("Year 12", 0, 1000, required=False)
    year_13 = number_field("Year 13", 0, 1000, required=False)

    def year_fields(self) -> list:
        return [getattr(self, f"year_{year}") for year in YEAR_GROUPS]

    def year_counts(self) -> dict[int, int]:
        return {year: getattr(self, f"year_{year}").data or 0 for year in YEAR_GROUPS}


def show_refusal(form: FlaskForm, error: Refused, fallback: str = "submit") -> None:
    """Put what the rules refused beside the fields at fault, for the GOV.UK error summary; a problem that names no
    field of this form goes on the fallback field. The one way every view shows a service's refusal."""
    for name, message in error.problems.items():
        field = form._fields.get(name) if name else None
        target = field if field is not None else form._fields[fallback]
        if message not in target.errors:
            target.errors = [*target.errors, message]
