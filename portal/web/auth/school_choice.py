"""Which school a person asking for an account works at, in a directory of thousands: what they typed (a URN, an
exact name or a "Name (URN 123456)" label) names it, or the page lists at most SCHOOL_CHOICES schools matching it
(by name, town, district, URN or postcode: the directory's bounded search) to choose from, without any script."""

from __future__ import annotations

from portal.domain.listings import MAX_SEARCH, ListQuery
from portal.models import School
from portal.services import school_lists, schools
from portal.web.auth.forms import RegisterForm

SCHOOL_CHOICES = 20


def chosen_school(form: RegisterForm) -> School | None:
    """The school chosen from the list, or named by what was typed; otherwise the matches to choose from, or why
    there are none, shown on the form."""
    typed = (form.school.data or "").strip()[:250]
    school = schools.find_school(form.school_urn.data or typed) if (form.school_urn.data or typed) else None
    if school is not None:
        form.school.data, form.school_urn.data = school.label, None  # named exactly from now on: no list to show
        return school
    if not typed:
        return None
    found = school_lists.schools(ListQuery(search=typed[:MAX_SEARCH], size=SCHOOL_CHOICES))
    form.school_urn.choices = [(row.urn, School.label_of(row.name, row.urn)) for row in found.rows]
    if not found.rows:
        form.school.errors = [f"No school matches “{found.search}”: check its name, or enter its 6-digit URN"]
    elif found.pages.total > SCHOOL_CHOICES:
        form.school_urn.errors = [
            f"{found.pages.total} schools match “{found.search}”: choose yours from the first {SCHOOL_CHOICES}, "
            "or type more of its name, its town or its URN"
        ]
    else:
        form.school_urn.errors = ["Choose your school from the list"]
    return None
