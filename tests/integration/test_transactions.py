"""The per-request transaction: committed for a successful answer; a commit the database refuses is a 409."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from portal.extensions import db


def test_a_commit_the_database_refuses_answers_409_and_rolls_back(app, session, anonymous, monkeypatch, caplog):
    def refuse():
        raise IntegrityError("INSERT", {}, Exception("uq_performances_slot"))

    rolled_back = []
    monkeypatch.setattr(db.session, "commit", refuse)
    monkeypatch.setattr(db.session, "rollback", lambda: rolled_back.append(True))
    caplog.set_level(logging.WARNING, logger=app.logger.name)
    response = anonymous.get("/accessibility")
    assert response.status_code == 409
    assert rolled_back
    assert "commit refused by the database" in caplog.text
