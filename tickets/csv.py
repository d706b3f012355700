"""CSV a spreadsheet opens safely, for every export (tickets here; surveys and the dashboard
import it, being above tickets)."""

import csv
from collections.abc import Iterable, Iterator

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV as UTF-8 only when it starts with the byte order mark.
BOM = "\ufeff"


def neutralise(value: object) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a streamed response."""

    def write(self, value: str) -> str:
        return value


def stream_rows(header: Iterable[object], rows: Iterable[Iterable[object]], *, bom: bool = False) -> Iterator[str]:
    """Each row as one CSV line, every cell neutralised; the header first (after the BOM when asked)."""
    writer = csv.writer(_Echo())
    yield (BOM if bom else "") + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])
