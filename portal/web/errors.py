"""Friendly error pages; never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from portal import transactions

PAGES = {
    400: ("errors/bad_request.html", "There is a problem with your request"),
    403: ("errors/forbidden.html", "You cannot do that"),
    404: ("errors/not_found.html", "Page not found"),
    405: ("errors/not_found.html", "Page not found"),
    409: ("errors/conflict.html", "Someone else got there first"),
    413: ("errors/too_large.html", "The file or form is too large"),
    429: ("errors/too_many.html", "Too many attempts"),
    500: ("errors/server_error.html", "Sorry, there is a problem with the service"),
}


def register_error_handlers(app: Flask) -> None:
    def render(status: int):
        template, _title = PAGES[status]
        if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
            return {"message": PAGES[status][1], "error": PAGES[status][1]}, status
        return render_template(template), status

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return render_template("errors/csrf.html"), 400

    for status in (400, 403, 404, 405, 409, 413, 429):
        app.register_error_handler(status, lambda _error, status=status: render(status))

    @app.errorhandler(500)
    def server_error(_error):
        transactions.roll_back()
        return render(500)
