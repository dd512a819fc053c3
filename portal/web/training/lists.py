"""Council officers keep the lists learners choose from when they register: agencies and job roles. An entry taken
off a list is no longer offered to new learners; those who chose it keep it, and the figures keep counting them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.services import training_lists
from portal.web.access import found_or_404
from portal.web.fields import show_refusal
from portal.web.training.forms import ActionForm, ListEntryForm
from portal.web.training.manage import bp, council_only


@dataclass(frozen=True)
class KeptList:
    title: str
    noun: str
    entries: Callable[..., list]
    add: Callable
    find: Callable


LISTS = {
    "agencies": KeptList(
        "Agencies", "agency", training_lists.agencies, training_lists.add_agency, training_lists.agency
    ),
    "job-roles": KeptList(
        "Job roles", "job role", training_lists.job_roles, training_lists.add_job_role, training_lists.job_role
    ),
}


def kept_list(list_name: str) -> KeptList:
    if list_name not in LISTS:
        abort(404)
    return LISTS[list_name]


@bp.route("/lists/<list_name>", methods=["GET", "POST"])
@council_only
def kept_list_page(list_name: str):
    kept = kept_list(list_name)
    form = ListEntryForm()
    form.name.label.text = f"Add {'an' if kept.noun[0] in 'aeiou' else 'a'} {kept.noun}"
    if form.validate_on_submit():
        try:
            kept.add(current_user, form.name.data)
        except training_lists.ListError as error:
            show_refusal(form, error, fallback="name")
        else:
            flash(f"{form.name.data.strip()} is on the list: new learners can choose it.", "success")
            return redirect(url_for("training.kept_list_page", list_name=list_name))
    return render_template(
        "training/kept_list.html",
        title=kept.title,
        list_name=list_name,
        kept=kept,
        form=form,
        entries=kept.entries(False),
        action_form=ActionForm(),
    )


@bp.post("/lists/<list_name>/<int:entry_id>/<change>")
@council_only
def kept_list_change(list_name: str, entry_id: int, change: str):
    if change not in ("hide", "show"):
        abort(404)
    entry = found_or_404(kept_list(list_name).find(entry_id, active_only=False))
    if ActionForm().validate_on_submit():
        training_lists.set_active(current_user, entry, change == "show")
        done = "back on the list" if change == "show" else "no longer offered to new learners"
        flash(f"{entry.name} is {done}.", "success")
    return redirect(url_for("training.kept_list_page", list_name=list_name))
