"""The POST forms a page shows, read from its HTML as a browser would: action, fields, hidden tokens, defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class FormField:
    name: str
    kind: str  # the input's type ("text", "hidden", "radio", "checkbox", "file"...), or "textarea" or "select"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)  # a select's option values


@dataclass
class PostForm:
    action: str  # a path, resolved against the page's
    fields: list[FormField] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Each field name once, in page order (radios and checkboxes share one)."""
        return list(dict.fromkeys(f.name for f in self.fields if f.kind not in ("submit", "button", "reset")))

    def hidden(self, name: str) -> str | None:
        return next((f.value for f in self.fields if f.name == name and f.kind == "hidden"), None)

    def defaults(self) -> dict[str, list[str]]:
        """What the browser sends untouched: hidden and typed values, checked boxes, each select's first option."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in ("submit", "button", "reset", "file"):
                continue
            if f.kind in ("radio", "checkbox") and not f.checked:
                continue
            value = (f.options[0] if f.options else "") if f.kind == "select" and not f.value else f.value
            data.setdefault(f.name, []).append(value)
        return data


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[PostForm] = []
        self.form: PostForm | None = None
        self.textarea: FormField | None = None
        self.select: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            if attributes.get("method", "get").lower() == "post":
                self.form = PostForm(urlsplit(urljoin(self.page, attributes.get("action") or self.page)).path)
                self.forms.append(self.form)
            return
        if self.form is None or not attributes.get("name") and tag != "option":
            return
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            value = attributes.get("value", "on" if kind in ("radio", "checkbox") else "")
            self.form.fields.append(FormField(attributes["name"], kind, value, "checked" in attributes))
        elif tag == "textarea":
            self.textarea = FormField(attributes["name"], "textarea")
            self.form.fields.append(self.textarea)
        elif tag == "select":
            self.select = FormField(attributes["name"], "select")
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select.options.append(attributes.get("value", ""))
            if "selected" in attributes:
                self.select.value = attributes.get("value", "")
        elif tag == "button" and attributes.get("type", "submit") == "submit":
            self.form.fields.append(FormField(attributes["name"], "submit", attributes.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def post_forms(html: str, page: str) -> list[PostForm]:
    """Every <form method="post"> of the page, in order."""
    parser = _FormParser(page)
    parser.feed(html)
    parser.close()
    return parser.forms


def page_form(client, page: str, action: str | None = None) -> PostForm:
    """The POST form the page shows (the one posting to `action`, when the page has several)."""
    response = client.get(page)
    assert response.status_code == 200, f"GET {page}: {response.status_code}"
    forms = [form for form in post_forms(response.get_data(as_text=True), page) if action in (None, form.action)]
    forms = [form for form in forms if form.action != "/logout"]
    assert forms, f"no POST form to {action or 'anywhere'} on {page}"
    return forms[0]
