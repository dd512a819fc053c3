"""One transaction per web request: committed for a successful answer, rolled back otherwise.

Services flush and never commit; doing the commit here, once, means no view can forget it or commit half a change.
The commit happens before the response leaves, so what a user is told was saved has been saved. The session itself
is handled in portal.transactions: this module only decides when.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, g, render_template, request

from portal import transactions
from portal.database import declare_writes, restore_writes

# Methods that only read: their transaction takes no write lock (portal.database). Anything such a request writes
# beyond bookkeeping (portal.services.writes) is refused in tests and logged in production.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def after_commit(callback: Callable[[], None]) -> None:
    """Run callback once this request's transaction has committed (e.g. queue a job that reads the new rows)."""
    g.setdefault("after_commit", []).append(callback)


def writes_on_get(view: Callable) -> Callable:
    """Mark a view whose GET changes what it shows (a set-up page making the key it displays): its transaction
    takes the write lock as a form's does."""
    view.writes_on_get = True  # type: ignore[attr-defined]
    return view


def register_transactions(app: Flask) -> None:
    def declare_whether_writing():
        view = app.view_functions.get(request.endpoint or "")
        writes = request.method not in READING_METHODS or getattr(view, "writes_on_get", False)
        g.writes_declared = declare_writes(writes)

    # First of every before_request hook, so no hook begins the transaction before the request says how.
    app.before_request_funcs.setdefault(None, []).insert(0, declare_whether_writing)

    @app.after_request
    def commit_or_roll_back(response):
        if response.status_code >= 400:
            transactions.roll_back()
            return response
        try:
            transactions.commit()
        except transactions.CommitRefused:
            # A rule the database enforces was broken by a concurrent change (two schools racing for one slot).
            app.logger.warning("commit refused by the database", exc_info=True)
            body = render_template("errors/conflict.html")
            return app.response_class(body, status=409)
        for callback in g.pop("after_commit", []):
            callback()
        return response

    @app.teardown_request
    def roll_back_leftovers(_exc):
        # after_request is skipped when a view raises: make sure nothing half-done survives.
        transactions.roll_back()
        if "writes_declared" in g:
            restore_writes(g.pop("writes_declared"))
