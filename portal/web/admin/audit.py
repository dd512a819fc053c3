"""Administrators: the audit log, to see who did what and when (sign-ins, failed ones, every change)."""

from __future__ import annotations

from flask import render_template

from portal.services import audit_lists
from portal.web.admin.forms import AuditSearchForm
from portal.web.admin.routes import bp
from portal.web.list_search import list_asked, list_context, list_search_form


@bp.get("/audit")
def audit_log():
    form = list_search_form("Search by action, email address or detail", audit_lists.SORTS, AuditSearchForm)
    outcome = form.chosen_outcome()
    listing = audit_lists.events(list_asked(form), outcome)
    return render_template(
        "admin/audit_log.html", title="Audit log", **list_context(form, listing, "admin.audit_log", outcome=outcome)
    )
