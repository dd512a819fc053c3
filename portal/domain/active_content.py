"""Active content in lesson pack files: anything that could run on a school's computer when a teacher opens one.

Packs go from the company and the council to the staff of every school that books, so a file that can run code is
refused at upload, whatever its author meant:
- a PDF with JavaScript (in an /OpenAction, an /AA additional action, a link or the document's /JavaScript names),
  an action that starts another program (/Launch) or loads data or media that runs, embedded files, or an XFA form;
- a file that starts like a PDF but does not parse as one, or that also holds web page markup (a PDF/HTML
  polyglot, which a browser shown it as a page would run);
- a Word or PowerPoint file (or any Office Open XML file) with a macro project (a vbaProject.bin part, or a
  macro-enabled content type), ActiveX controls, or a template fetched from elsewhere (which can bring macros).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

import pikepdf

NOT_A_PDF = "The selected file is not a valid PDF: save it again as a PDF and upload it"
PDF_LOCKED = "The selected PDF is protected by a password: upload a copy without one"
PDF_WITH_HTML = (
    "The selected PDF also contains web page code (HTML), which a browser could run: save it again as a PDF "
    "and upload it"
)
MACROS = (
    "The selected file contains macros, which could run on a school’s computer: save it as a Word (.docx) or "
    "PowerPoint (.pptx) file without macros and upload it again"
)
ACTIVEX = (
    "The selected file contains ActiveX controls, which could run on a school’s computer: remove them and "
    "upload the file again"
)
PDF_REMEDY = "remove it (printing the file to a new PDF does) and upload the PDF again"
UNREADABLE = "The selected file could not be read: save it again and upload it"
REMOTE_TEMPLATE = (
    "The selected file loads its template from another address, which can bring macros with it: save it "
    "without the template and upload it again"
)

# Markup a browser would run, as a tag: "<script " or "<html>", not the letters inside a word.
HTML_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|meta)[\s/>]", re.I)
# What each sign of active content is called in the refusal message.
PDF_ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "embedded files",
    "/EF": "embedded files",
    "/XFA": "an XFA form, which can run scripts",
}
PDF_ACTIVE_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "an action that starts another program",
    "/ImportData": "an action that loads data from another file",
    "/RichMediaExecute": "media that runs scripts",
}
PDF_ACTIVE_TYPES = {"/EmbeddedFile": "embedded files", "/FileAttachment": "embedded files"}
# Large enough for any real [Content_Types].xml or .rels part; a zip bomb is not inflated past it.
MOST_XML_BYTES = 1024 * 1024


def active_content_problem(data: bytes) -> str | None:
    """Why the file must be refused for active content, in words a teacher understands, or None."""
    if data.startswith(b"%PDF-"):
        return pdf_problem(data)
    if data.startswith(b"PK\x03\x04"):
        return office_problem(data)
    return None


def pdf_problem(data: bytes) -> str | None:
    if HTML_MARKUP.search(data):
        return PDF_WITH_HTML
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            what = _pdf_active_content(pdf)
    except pikepdf.PasswordError:
        return PDF_LOCKED
    except (pikepdf.PdfError, ValueError, RecursionError):
        return NOT_A_PDF
    if what:
        return f"The selected PDF contains {what}, which could run on a school’s computer: {PDF_REMEDY}"
    return None


def _pdf_active_content(pdf: pikepdf.Pdf) -> str | None:
    """What active content the PDF holds, looking in every object it has (reachable or not), or None.

    Each indirect object is looked at once, with the direct objects nested in it; an explicit stack, not recursion,
    so no nesting depth can overflow.
    """
    stack = [pdf.trailer, *pdf.objects]
    while stack:
        obj = stack.pop()
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for key, value in obj.items():
                if key in PDF_ACTIVE_KEYS:
                    return PDF_ACTIVE_KEYS[key]
                if key == "/S" and str(value) in PDF_ACTIVE_ACTIONS:
                    return PDF_ACTIVE_ACTIONS[str(value)]
                if key in ("/Type", "/Subtype") and str(value) in PDF_ACTIVE_TYPES:
                    return PDF_ACTIVE_TYPES[str(value)]
                if _is_direct_container(value):
                    stack.append(value)
        elif isinstance(obj, pikepdf.Array):
            stack.extend(item for item in obj if _is_direct_container(item))
    return None


def _is_direct_container(value: object) -> bool:
    """A dictionary or array written inside its parent (indirect ones are visited as objects of their own)."""
    return isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect


def office_problem(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None  # not a zip at all: the file type check refuses it
    with archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names:
            return None  # not an Office file: the file type check refuses it
        try:
            return _office_active_content(archive, names)
        except (zipfile.BadZipFile, RuntimeError, ValueError, NotImplementedError, OSError, EOFError, zlib.error):
            return UNREADABLE  # an encrypted or damaged part


def _office_active_content(archive: zipfile.ZipFile, names: list[str]) -> str | None:
    lowered = [name.lower() for name in names]
    content_types = _read_part(archive, "[Content_Types].xml").lower()
    if any(name.endswith(("vbaproject.bin", "vbadata.xml")) for name in lowered) or (
        b"macroenabled" in content_types or b"vbaproject" in content_types
    ):
        return MACROS
    if any(name.startswith("activex/") or "/activex/" in name for name in lowered) or b"activex" in content_types:
        return ACTIVEX
    for name in names:
        if name.lower().endswith(".rels") and _fetches_template(_read_part(archive, name)):
            return REMOTE_TEMPLATE
    return None


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        return part.read(MOST_XML_BYTES)


def _fetches_template(relationships: bytes) -> bool:
    """Whether a .rels part points a document's template at an outside address."""
    for relationship in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", relationships):
        lowered = relationship.lower()
        if b"attachedtemplate" in lowered and b'targetmode="external"' in lowered:
            return True
    return False
