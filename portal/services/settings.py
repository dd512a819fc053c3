"""Settings kept in the database: the reach and training targets (the council changes them) and the CSE team's
contact."""

from __future__ import annotations

from flask import current_app, g, has_request_context
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.models import Setting, User
from portal.services import audit

DEFAULTS = {
    "reach_target": "REACH_TARGET",
    "training_target": "TRAINING_TARGET",
    "cse_team_name": "CSE_TEAM_NAME",
    "cse_team_phone": "CSE_TEAM_PHONE",
}


# Built once: every page's footer reads the CSE team's contact, and building the statement cost more than running it.
STORED_SETTINGS = select(Setting.key, Setting.value).where(Setting.key.in_(list(DEFAULTS)))


def _stored() -> dict[str, str]:
    """Every stored setting, read in one statement, once per web request: every page's footer reads the CSE team's
    contact, and the reach and training pages a target as well."""
    if not has_request_context():  # a job or command: always as stored now
        return _read_stored()
    found = g.get("stored_settings")
    if found is None:
        found = g.stored_settings = _read_stored()
    return found


def _read_stored() -> dict[str, str]:
    return {key: value for key, value in db.session.execute(STORED_SETTINGS)}


def get_settings(*keys: str) -> dict[str, str]:
    """Each key's stored value, or the app's configured default."""
    stored = _stored()
    return {key: stored[key] if key in stored else str(current_app.config[DEFAULTS[key]]) for key in keys}


def get_setting(key: str) -> str:
    """The stored value, or the app's configured default."""
    return get_settings(key)[key]


def set_setting(actor: User, key: str, value: str) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key)
    before = {key: get_setting(key)}
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    if has_request_context():
        g.pop("stored_settings", None)  # the rest of the request reads the new value
    audit.record(actor, "setting.changed", "setting", None, before=before, after={key: value})


def reach_target() -> int:
    return int(get_setting("reach_target"))


def training_target() -> int:
    """Staff to train (people once per course level), 7,500 unless the council has set another."""
    return int(get_setting("training_target"))


def signposted_team() -> tuple[str, str]:
    """The specialist CSE team every footer signposts (name, phone): the stored contact, or the configured defaults
    when the database cannot be read (an error page must still show who to call)."""
    try:
        team = get_settings("cse_team_name", "cse_team_phone")  # one statement: every page's footer asks
        return team["cse_team_name"], team["cse_team_phone"]
    except SQLAlchemyError:
        db.session.rollback()
        return current_app.config["CSE_TEAM_NAME"], current_app.config["CSE_TEAM_PHONE"]
