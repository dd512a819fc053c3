"""Lesson pack files that could run something on a school's computer are told apart from clean ones."""

from __future__ import annotations

import pytest

from portal.domain import active_content
from portal.domain.active_content import active_content_problem
from portal.domain.file_types import pack_file_problem
from tests import files


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (files.open_action_javascript, "JavaScript"),
        (files.page_additional_action_javascript, "JavaScript"),
        (files.document_javascript_names, "JavaScript"),
        (files.launch_action, "an action that starts another program"),
        (files.embedded_file, "embedded files"),
    ],
    ids=["open-action-javascript", "page-aa-javascript", "names-javascript", "launch", "embedded-file"],
)
def test_a_pdf_with_active_content_is_refused_naming_what_it_holds(change, named):
    problem = active_content_problem(files.pdf_with(change))
    assert problem is not None
    assert f"The selected PDF contains {named}" in problem


@pytest.mark.parametrize(
    "data",
    [files.clean_pdf(), files.pdf_with(files.benign_open_action), files.pdf_with(lambda pdf: None)],
    ids=["demo-pdf", "open-at-first-page", "blank"],
)
def test_a_clean_pdf_passes(data):
    assert active_content_problem(data) is None
    assert pack_file_problem("lesson.pdf", data) is None


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n" + b"x" * 2000, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"],
    ids=["junk", "no-pages"],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(data):
    assert active_content_problem(data) == active_content.NOT_A_PDF


@pytest.mark.parametrize(
    "data",
    [
        files.html_polyglot(),
        b"%PDF-1.4\n<!DOCTYPE html><p>hello</p>",
        b"%PDF-1.4\n<HTML><BODY onload=alert(1)>",
        b"%PDF-1.4\n<svg/onload=alert(1)>",
    ],
    ids=["valid-pdf-with-script", "doctype", "upper-case", "svg"],
)
def test_a_pdf_that_is_also_a_web_page_is_refused(data):
    assert active_content_problem(data) == active_content.PDF_WITH_HTML


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.docx_with_macros(), active_content.MACROS),
        (files.docm_named_docx(), active_content.MACROS),
        (files.pptx_with_macros(), active_content.MACROS),
        (files.xlsm(), active_content.MACROS),
        (files.docx_with_activex(), active_content.ACTIVEX),
        (files.docx_with_remote_template(), active_content.REMOTE_TEMPLATE),
    ],
    ids=["docx-vba-project", "macro-enabled-content-type", "pptx-vba-project", "xlsm", "activex", "remote-template"],
)
def test_an_office_file_with_macros_or_controls_is_refused(data, message):
    assert active_content_problem(data) == message
    # The reason is given before the file type: a macro-enabled workbook is told it has macros.
    assert pack_file_problem("lesson.docx", data) == message


def test_a_clean_docx_passes():
    assert active_content_problem(files.clean_docx()) is None
    assert pack_file_problem("worksheet.docx", files.clean_docx()) is None


@pytest.mark.parametrize("data", [b"", b"MZ\x90\x00", b"PK\x03\x04garbage", b"hello <script>"])
def test_files_of_other_kinds_are_left_to_the_file_type_check(data):
    assert active_content_problem(data) is None
