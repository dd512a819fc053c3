from __future__ import annotations

from flask import Blueprint, render_template

from portal.models import Role
from portal.services import accounts
from portal.web.access import restrict_blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
restrict_blueprint(bp, Role.ADMIN)


@bp.get("/")
def home():
    return render_template("admin/home.html", title="Users", users=accounts.all_users())
