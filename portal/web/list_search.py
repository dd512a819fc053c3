"""A long list's search box and sort as a GET form read from the address, and the page asked for; the service
applies the limits (portal.domain.listings), so whatever the address holds the list answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from flask import current_app, request
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from portal.domain.listings import MAX_SEARCH, Listing, ListQuery, page_number
from portal.web.pagination import pagination
from portal.web.widgets import GovSelect, GovTextInput


class ListSearchForm(FlaskForm):
    """Search and sort a list: read from the address (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("Search", widget=GovTextInput())
    sort = SelectField("Sort by", widget=GovSelect(), validate_choice=False)


Form = TypeVar("Form", bound=ListSearchForm)


def list_search_form(label: str, sorts: Mapping[str, str], form_class: type[Form] = ListSearchForm) -> Form:  # type: ignore[assignment]
    """The list's search form, filled from the query string, with its label and sort choices."""
    form = form_class(request.args)
    form.q.label.text = label
    form.sort.choices = [SelectChoice(value, text) for value, text in sorts.items()]
    return form


def list_asked(form: ListSearchForm) -> ListQuery:
    """The search, sort and page the address asks for, and the installation's page size (LIST_PAGE_SIZE)."""
    return ListQuery(
        search=(form.q.data or "")[: MAX_SEARCH * 2],  # a megabyte of search text never reaches the service
        sort=form.sort.data or "",
        page=page_number(request.args.get("page")),
        size=current_app.config["LIST_PAGE_SIZE"],
    )


def list_context(form: ListSearchForm, listing: Listing, endpoint: str, **arguments) -> dict:
    """What a list's template needs: the form showing the search and sort used, the page, and its pagination links
    (which keep the search, sort and any filter in `arguments`)."""
    form.q.data, form.sort.data = listing.search, listing.sort
    links = pagination(listing.pages, endpoint, **arguments, q=listing.search or None, sort=listing.sort)
    return {"search_form": form, "listing": listing, "pagination": links}
