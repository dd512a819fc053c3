from flask import Blueprint

from portal.models import Role
from portal.web.access import restrict_blueprint

bp = Blueprint("company", __name__, url_prefix="/company")
restrict_blueprint(bp, Role.COMPANY)
