"""Lesson packs: the company and council add them; files are served by id, never by a path from the URL."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, send_from_directory, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.domain.file_types import MAX_PACK_FILE_BYTES
from portal.models import Role
from portal.services import packs, seasons
from portal.web.access import found_or_404, restrict_blueprint
from portal.web.fields import database_id, show_refusal
from portal.web.form_tokens import save_once
from portal.web.packs.forms import PackForm, UploadForm

bp = Blueprint("packs", __name__, url_prefix="/packs")
restrict_blueprint(bp, Role.COMPANY, Role.COUNCIL)


def storage() -> Path:
    """Outside static/: nothing here is reachable except through the download view."""
    return Path(current_app.config["PORTAL_INSTANCE"]) / "lesson-packs"


def send_pack_file(record):
    response = send_from_directory(
        storage(),
        record.stored_name,
        as_attachment=True,
        download_name=record.original_name,
        mimetype=record.content_type,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/")
def packs_list():
    return render_template("packs/list.html", title="Lesson packs", packs=packs.all_packs())


@bp.route("/new", methods=["GET", "POST"])
def pack_new():
    form = PackForm()
    form.production.choices = [SelectChoice(p.id, p.title) for p in seasons.all_productions()]
    if form.validate_on_submit():
        production = seasons.get_production(database_id(form.production.data) or 0)
        if production is None:
            form.production.errors.append("Select a production")
        else:
            pack = save_once(
                form,
                lambda: packs.create_pack(
                    current_user,
                    production=production,
                    year_group=form.year_group.data,
                    title=form.title.data,
                    summary=form.summary.data or "",
                    objectives=form.objectives.data or "",
                ),
                lambda made: url_for("packs.pack_detail", pack_id=made.id),
            )
            flash("Pack saved. Now upload its files.", "success")
            return redirect(url_for("packs.pack_detail", pack_id=pack.id))
    return render_template("packs/form.html", title="Add a lesson pack", form=form)


@bp.route("/<int:pack_id>", methods=["GET", "POST"])
def pack_detail(pack_id: int):
    pack = found_or_404(packs.get_pack(pack_id))
    # The body limit for this upload is raised in portal.web.security (before CSRF reads the form).
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not getattr(upload, "filename", ""):
            form.file.errors.append("Select a file to upload")
        else:
            data = upload.read(MAX_PACK_FILE_BYTES + 1)
            try:
                save_once(
                    form,
                    lambda: packs.add_file(current_user, pack, upload.filename, data, storage()),
                    lambda _file: url_for("packs.pack_detail", pack_id=pack.id),
                )
            except packs.PackError as error:
                show_refusal(form, error, fallback="file")
            else:
                flash("File uploaded.", "success")
                return redirect(url_for("packs.pack_detail", pack_id=pack.id))
    return render_template("packs/detail.html", title=pack.title, pack=pack, form=form)


@bp.get("/files/<int:file_id>")
def file_download(file_id: int):
    record = found_or_404(packs.downloadable_file(current_user, file_id))
    return send_pack_file(record)
