"""Council officers approve learners whose addresses are not on a listed domain, and keep the list of domains whose
learners are approved at once."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now
from portal.services import training_learners, training_lists
from portal.services.accounts import AccountError
from portal.web.access import found_or_404
from portal.web.auth.delivery import send_mail_soon
from portal.web.fields import show_refusal
from portal.web.training.forms import ActionForm, DomainForm, LearnerDecisionForm
from portal.web.training.manage import bp, council_only
from portal.web.transactions import after_commit


@bp.get("/learners")
@council_only
def learners_pending():
    return render_template(
        "training/learners_pending.html", title="Learners to approve", learners=training_learners.pending_learners()
    )


@bp.route("/learners/<int:user_id>", methods=["GET", "POST"])
@council_only
def learner_decide(user_id: int):
    user = found_or_404(training_learners.pending_learner(user_id))
    form = LearnerDecisionForm()
    if form.validate_on_submit():
        try:
            approve = form.decision.data == "approve"
            training_learners.decide_learner(
                current_user, user, approve=approve, reason=form.reason.data or "", now=now()
            )
        except AccountError as error:
            show_refusal(form, error, fallback="decision")
        else:
            after_commit(send_mail_soon)
            flash(f"{user.full_name} has been {user.approval_state.value}.", "success")
            return redirect(url_for("training.learners_pending"))
    learner = training_learners.learner_of(user)
    return render_template(
        "training/learner_decide.html", title="Approve or refuse a learner", form=form, user=user, learner=learner
    )


@bp.route("/domains", methods=["GET", "POST"])
@council_only
def domains():
    form = DomainForm()
    if form.validate_on_submit():
        try:
            training_lists.add_domain(current_user, form.domain.data)
        except training_lists.ListError as error:
            show_refusal(form, error, fallback="domain")
        else:
            flash("Domain added: learners with an address on it are approved once they confirm it.", "success")
            return redirect(url_for("training.domains"))
    return render_template(
        "training/domains.html",
        title="E-mail domains approved at once",
        form=form,
        remove_form=ActionForm(),
        domains=training_lists.email_domains(),
    )


@bp.post("/domains/<int:domain_id>/remove")
@council_only
def domain_remove(domain_id: int):
    domain = found_or_404(training_lists.email_domain(domain_id))
    if ActionForm().validate_on_submit():
        training_lists.remove_domain(current_user, domain)
        flash(f"{domain.domain} removed: learners already approved stay approved.", "success")
    return redirect(url_for("training.domains"))
