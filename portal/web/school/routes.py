from __future__ import annotations

from flask import Blueprint, render_template

from portal.models import Role
from portal.web.access import restrict_blueprint

bp = Blueprint("school", __name__, url_prefix="/school")
restrict_blueprint(bp, Role.SCHOOL)


@bp.get("/")
def home():
    return render_template("school/home.html", title="Your school")


@bp.get("/requests")
def requests():
    return render_template("school/home.html", title="Requests")


@bp.get("/profile")
def profile():
    return render_template("school/home.html", title="School profile")
