"""School staff invite a colleague at their own school; the council still approves the colleague's account.

The answer is the same whether or not the address already has an account (its owner is told by e-mail instead), and
the school's list of staff accounts leaves out invitations not yet taken up, so inviting never reveals an account.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now
from portal.extensions import limiter
from portal.services import invitations
from portal.services.recovery import INVITE, LIFETIMES
from portal.web.auth.delivery import send_mail_soon
from portal.web.auth.limits import completed, email_in_form_key, signed_in_user_key
from portal.web.form_tokens import save_once
from portal.web.school.forms import ColleagueForm
from portal.web.school.routes import bp
from portal.web.transactions import after_commit

INVITATION_DAYS = LIFETIMES[INVITE].days


@bp.route("/colleagues/invite", methods=["GET", "POST"])
# Each invitation sends an e-mail (to the colleague, or to the owner of an address that has an account): a staff
# room's worth an hour from one member, and a few an hour to one address from anyone. Only invitations sent count.
@limiter.limit("10 per hour", key_func=signed_in_user_key, methods=["POST"], deduct_when=completed, scope="invite-by")
@limiter.limit("3 per hour", key_func=email_in_form_key, methods=["POST"], deduct_when=completed, scope="invite-to")
def colleague_invite():
    """The school is always the inviter's own: nothing in the form can name another."""
    form = ColleagueForm()
    if form.validate_on_submit():
        save_once(
            form,
            lambda: invitations.invite_colleague(
                current_user,
                email=form.email.data,
                full_name=form.full_name.data,
                job_title=form.job_title.data,
                now=now(),
            ),
            lambda _invited: url_for("school.profile"),
        )
        after_commit(send_mail_soon)
        flash(
            f"We have emailed {form.email.data.strip()} an invitation. Once they choose a password (within "
            f"{INVITATION_DAYS} days), the council checks their account and they can book.",
            "success",
        )
        return redirect(url_for("school.profile"))
    return render_template(
        "school/colleague_invite.html", title="Invite a colleague", form=form, school=current_user.school
    )
