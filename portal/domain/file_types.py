"""Which lesson pack files are allowed, judged by their content, never by the name the uploader gave them.

A file of the right type is still refused if it holds active content (portal.domain.active_content).
"""

from __future__ import annotations

import io
import zipfile

from portal.domain.active_content import active_content_problem

MAX_PACK_FILE_BYTES = 20 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def sniff_pack_file(data: bytes) -> str | None:
    """'pdf', 'docx' or 'pptx' when the bytes really are one of those, else None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return None


def pack_file_problem(filename: str, data: bytes) -> str | None:
    """Why an upload is refused, in words a teacher understands, or None."""
    if not data:
        return "The selected file is empty"
    if len(data) > MAX_PACK_FILE_BYTES:
        return "The selected file must be smaller than 20 MB"
    # Before the type: a macro-enabled .xlsm or .docm is told why, not only that it is the wrong kind of file.
    if active := active_content_problem(data):
        return active
    kind = sniff_pack_file(data)
    if kind is None:
        return "The selected file must be a PDF, Word (.docx) or PowerPoint (.pptx) file"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension != kind:
        ending = f".{extension}" if extension else "no extension"
        return f"The file is a {kind.upper()} file but its name has {ending}: rename it and try again"
    return None
