import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from portal.domain.csv_files import FORMULA_TRIGGERS, csv_bytes


def read(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_no_text_cell_can_start_a_formula_and_the_rest_is_kept(cells):
    (header, row) = read(csv_bytes(["a"] * len(cells), [cells]))
    for original, written in zip(cells, row, strict=True):
        assert not written.startswith(FORMULA_TRIGGERS)
        assert written in (original, "'" + original)


def test_numbers_stay_numbers_even_when_negative():
    (_header, row) = read(csv_bytes(["n", "m"], [[-5, 12]]))
    assert row == ["-5", "12"]


def test_a_formula_is_neutralised():
    (_header, row) = read(csv_bytes(["school"], [['=HYPERLINK("http://x")']]))
    assert row == ['\'=HYPERLINK("http://x")']
