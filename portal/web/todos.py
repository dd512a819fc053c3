"""A to-do list as the GOV.UK task list shows it: each task linked to the page where it is done."""

from __future__ import annotations

from datetime import date

from flask import current_app, request, url_for

from portal.domain.listings import page_number
from portal.domain.pagination import Pages
from portal.domain.todos import Task, ToDo
from portal.services import lapses
from portal.web.navigation import home_url
from portal.web.pagination import pagination


def _or_list(task: Task, endpoint: str, key: str, fallback: str) -> str:
    return url_for(endpoint, **{key: task.target_id}) if task.target_id else fallback


LINKS = {
    "confirm": lambda task: url_for("school.performances_list"),
    "follow_up": lambda task: _or_list(
        task, "school.performance_detail", "performance_id", url_for("school.performances_list")
    ),
    "questionnaire": lambda task: _or_list(
        task, "school.evaluation", "performance_id", url_for("school.performances_list")
    ),
    "request": lambda task: url_for("school.request_new", season_id=task.target_id),
    "profile": lambda task: url_for("school.profile"),
    "open_season": lambda task: url_for("company.season_detail", season_id=task.target_id),
    "allocate": lambda task: url_for("company.season_detail", season_id=task.target_id),
    "record": lambda task: _or_list(
        task, "company.performance_detail", "performance_id", url_for("company.home") + "#to-record"
    ),
    "approvals": lambda task: url_for("council.approvals"),
    "lapsing": lambda task: home_url() + "#about-to-lapse",  # the council's and the company's home pages
    "not_reached": lambda task: url_for("reach.not_reached"),
    "outbox": lambda task: url_for("admin.outbox_list"),
    "second_factor": lambda task: url_for("admin.home"),
    "settings": lambda task: url_for("admin.settings_page"),
}


def _status(task: Task, today: date) -> dict:
    """A tag: red when the deadline is today or tomorrow, yellow for a later one, blue for a task without one."""
    if task.deadline is None:
        return {"tag": {"text": "To do", "classes": "govuk-tag--blue"}}
    days = (task.deadline - today).days
    if days <= 1:
        return {"tag": {"text": "Due today" if days <= 0 else "Due tomorrow", "classes": "govuk-tag--red"}}
    return {"tag": {"text": f"Due {task.deadline.day} {task.deadline:%B}", "classes": "govuk-tag--yellow"}}


def task_list(todo: ToDo, today: date) -> dict:
    """The govukTaskList parameters for a to-do list."""
    return {
        "idPrefix": "to-do",
        "items": [
            {
                "title": {"text": task.title},
                "href": LINKS[task.key](task),
                "hint": {"text": task.hint} if task.hint else None,
                "status": _status(task, today),
            }
            for task in todo.tasks
        ],
    }


def about_to_lapse_page(today: date, total: int) -> dict:
    """The performances about to lapse (`total` of them) a page at a time, as the company's and the council's home
    pages show them beside their other lists: the page number in its own argument (?lapsing=N), the rows, their Pages
    (for "Showing 1 to 50 of 93") and the links."""
    pages = Pages(page_number(request.args.get("lapsing")), current_app.config["LIST_PAGE_SIZE"], total)
    links = pagination(
        pages,
        request.endpoint or "",
        page_argument="lapsing",
        landmark="Pages of the performances about to lapse",
        _anchor="about-to-lapse",
    )
    rows = lapses.performances_about_to_lapse(today, pages.offset, pages.size) if total else []
    return {"rows": rows, "pages": pages, "pagination": links}
