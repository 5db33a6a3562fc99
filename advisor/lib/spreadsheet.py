"""CSV files that Dutch Excel opens as they are, and that cannot run a formula."""

import csv
from collections.abc import Iterable, Iterator

# Excel runs a cell that starts with one of these as a formula: a visitor could type one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"  # Dutch Excel expects a semicolon: the comma is the decimal separator.


def excel_cell(value: object) -> str:
    """The value as text, with a quote before a formula's first character."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write() returns the line: csv.writer output for streaming."""

    def write(self, value: str) -> str:
        return value


def excel_csv_lines(header: Iterable[object], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The rows as CSV for Dutch Excel: UTF-8 with a byte order mark, semicolons, no formulas."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    # The byte order mark tells Excel the file is UTF-8, so "Café Ærø" stays intact.
    yield "\ufeff" + writer.writerow([excel_cell(value) for value in header])
    for row in rows:
        yield writer.writerow([excel_cell(value) for value in row])
