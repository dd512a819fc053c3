from __future__ import annotations

from flask import Blueprint, render_template

from portal.models import Role
from portal.web.access import restrict_blueprint

bp = Blueprint("company", __name__, url_prefix="/company")
restrict_blueprint(bp, Role.COMPANY)


@bp.get("/")
def home():
    return render_template("company/home.html", title="Tour")
