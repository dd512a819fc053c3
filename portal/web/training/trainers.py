"""Council officers invite the trainers who run the CSE training's sessions: each chooses their own password through
an e-mailed link (portal.services.invitations), then sees the registers of the sessions they are given."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now
from portal.extensions import limiter
from portal.models import Role
from portal.services import accounts, invitations, training_courses
from portal.services.recovery import INVITE, LIFETIMES
from portal.web.auth.delivery import send_mail_soon
from portal.web.auth.limits import completed, signed_in_user_key
from portal.web.fields import show_refusal
from portal.web.form_tokens import save_once
from portal.web.sessions import fresh_login_required
from portal.web.training.forms import InviteTrainerForm
from portal.web.training.manage import bp, council_only
from portal.web.transactions import after_commit

INVITATION_DAYS = LIFETIMES[INVITE].days


@bp.route("/trainers", methods=["GET", "POST"])
@council_only
@fresh_login_required
# Each invitation sends an e-mail, as an administrator's does: plenty for a team, and no flood from a stolen session.
@limiter.limit("20 per hour", key_func=signed_in_user_key, methods=["POST"], deduct_when=completed, scope="invite-user")
def trainers():
    form = InviteTrainerForm()
    if form.validate_on_submit():
        invite = lambda: invitations.invite_user(  # noqa: E731
            current_user, email=form.email.data, full_name=form.full_name.data, role=Role.TRAINER, now=now()
        )
        try:
            trainer = save_once(form, invite, lambda made: url_for("training.trainers"))
        except accounts.AccountError as error:
            show_refusal(form, error)
        else:
            after_commit(send_mail_soon)
            flash(
                f"We have emailed {trainer.email} a link to choose a password. It works for {INVITATION_DAYS} days.",
                "success",
            )
            return redirect(url_for("training.trainers"))
    people = training_courses.trainers()
    return render_template(
        "training/trainers.html",
        title="Trainers",
        form=form,
        trainers=people,
        invited=invitations.pending_ids(people),
        days=INVITATION_DAYS,
    )
