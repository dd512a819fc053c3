"""Council officers keep the agencies and job roles learners choose from: add one, stop offering one (learners who
chose it keep it), offer it again; a name already on the list in any case is refused and nothing changes."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.models import AuditEvent, Role, TrainingAgency, TrainingJobRole
from portal.services import training_lists
from tests.integration.pages import post_form
from tests.training_factories import make_agency, make_learner


def count(session, model, name: str) -> int:
    return session.scalar(select(func.count()).select_from(model).where(func.lower(model.name) == name.lower()))


def test_an_officer_adds_an_agency_that_new_learners_can_choose(session, login_as):
    officer = login_as(Role.COUNCIL)
    assert 'href="/training/lists/agencies"' in officer.get("/training/").get_data(as_text=True)
    response = post_form(officer, "/training/lists/agencies", {"name": "  Fire and rescue  "})
    assert response.status_code == 302
    added = training_lists.agency_named("Fire and rescue")
    assert added is not None and added in training_lists.agencies()
    assert "Fire and rescue" in officer.get("/training/lists/agencies").get_data(as_text=True)
    assert session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "training.agency_added"


def test_a_name_already_listed_in_any_case_or_a_blank_one_is_refused(session, login_as):
    make_agency("Police")
    officer = login_as(Role.COUNCIL)
    again = post_form(officer, "/training/lists/agencies", {"name": "POLICE"})
    assert again.status_code == 200 and "That agency is already on the list" in again.get_data(as_text=True)
    assert "govuk-error-summary" in again.get_data(as_text=True)
    blank = post_form(officer, "/training/lists/job-roles", {"name": "   "})
    assert blank.status_code == 200 and "govuk-error-summary" in blank.get_data(as_text=True)
    assert count(session, TrainingAgency, "police") == 1 and count(session, TrainingJobRole, "") == 0


def test_an_entry_no_longer_offered_stays_with_those_who_chose_it_and_can_come_back(session, login_as):
    learner = make_learner()
    role = learner.job_role
    officer = login_as(Role.COUNCIL)
    assert post_form(officer, f"/training/lists/job-roles/{role.id}/hide").status_code == 302
    assert role not in training_lists.job_roles() and learner.job_role == role
    page = officer.get("/training/lists/job-roles").get_data(as_text=True)
    assert "Not offered" in page and "Offer it again" in page
    assert post_form(officer, f"/training/lists/job-roles/{role.id}/show").status_code == 302
    assert role in training_lists.job_roles()


def test_only_the_two_lists_exist_and_only_officers_keep_them(session, login_as):
    officer = login_as(Role.COUNCIL)
    assert officer.get("/training/lists/districts").status_code == 404
    assert post_form(officer, "/training/lists/agencies/987654/hide").status_code == 404
    agency = make_agency()
    assert post_form(login_as(Role.TRAINER), f"/training/lists/agencies/{agency.id}/hide").status_code == 403
    assert agency.active
