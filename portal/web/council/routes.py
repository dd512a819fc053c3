from __future__ import annotations

from flask import Blueprint, render_template

from portal.models import Role
from portal.services import accounts
from portal.web.access import restrict_blueprint

bp = Blueprint("council", __name__, url_prefix="/council")
restrict_blueprint(bp, Role.COUNCIL)


@bp.get("/")
def home():
    return render_template("council/home.html", title="Programme", pending=accounts.pending_school_users())


@bp.get("/approvals")
def approvals():
    return render_template("council/approvals.html", title="Account approvals", pending=accounts.pending_school_users())


@bp.get("/schools")
def schools():
    return render_template("council/home.html", title="Schools", pending=[])
