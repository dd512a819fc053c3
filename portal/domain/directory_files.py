"""A schools directory file as uploaded or given to `flask schools import`: the portal's own CSV, or the
Department for Education's GIAS extract as downloaded, told apart by their headers."""

from __future__ import annotations

import csv
import io

from portal.domain.gias import is_gias_header, read_gias
from portal.domain.schools_csv import DirectoryImport, read_directory


def decode(data: bytes) -> str:
    """The file's text. GIAS publishes its extracts in Windows-1252, not UTF-8; a file that is valid UTF-8 (with or
    without a byte-order mark) is read as that, anything else as Windows-1252, whose every byte means something."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_directory_file(data: bytes, local_authorities: frozenset[str] = frozenset()) -> DirectoryImport:
    """The schools in a directory file (DirectoryError naming the line, if one cannot be read)."""
    text = decode(data)
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    if is_gias_header(header):
        return read_gias(text, local_authorities)
    return DirectoryImport(rows=read_directory(text))
