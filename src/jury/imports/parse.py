"""Reading an uploaded file into rows of text cells, with the line each row starts on.

Pure: bytes and a file name in, a `Table` out, or `Invalid` naming what stops the file from being read.
Organisers export from Excel or LibreOffice, so the parser accepts what those produce and nothing
ambiguous:

- CSV in UTF-8 (with or without BOM) or Windows-1252 (Excel's "CSV (séparateur : point-virgule)" on a
  French Windows). Any other bytes are refused with the line where decoding fails, rather than guessed
  and stored as mojibake; a file mixing UTF-8 and Windows-1252 is refused for the same reason.
- Delimiter `;`, `,` or tab: the one that splits the header into known column names wins, else
  `csv.Sniffer` decides. Excel's optional first line `sep=;` is honoured.
- XLSX: the first worksheet, numbers and dates turned into text the way the validator reads them
  (92050.0 → "92050", a date → "AAAA-MM-JJ"). A formula cell is kept as its formula and marked
  (`Row.formulas`): the validator refuses it with its line and column, since its cached value (absent from
  files written by programs) is not what was typed and the formula itself would run again in an export.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Collection, Iterable
from pathlib import PurePath

from jury.imports.models import MAX_ROWS, Row, Table, file_error, header_key

CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
DELIMITERS = (";", ",", "\t")
DELIMITER_PLURALS = {";": "points-virgules (;)", ",": "virgules (,)", "\t": "tabulations"}
SEPARATOR_FIELD = "séparateur"
MAX_COLUMNS = 64

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and other OLE documents
_ZIP_MAGIC = b"PK\x03\x04"
# A well-formed multi-byte UTF-8 sequence: in a file that is not valid UTF-8 overall, finding one means
# two encodings were mixed (e.g. rows pasted from a UTF-8 file into a Windows-1252 one).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\s*$", re.IGNORECASE)
_SEPARATOR_LIKE = re.compile(r"[;,\t|:]")
_RESAVE = "réenregistrez le fichier en « CSV UTF-8 » depuis Excel ou LibreOffice"


def read_table(data: bytes, file_name: str, *, known_headers: Collection[str] = ()) -> Table:
    """Read a CSV or XLSX upload; `known_headers` (folded names) help choose the CSV delimiter."""
    name = PurePath(file_name or "").name
    if not name and not data:
        raise file_error("Aucun fichier choisi.")
    if file_name and (name != file_name or "\\" in file_name or _NAME_CONTROL.search(file_name)):
        # Browsers send the bare name; a path or a control character is a crafted request. The name goes
        # to the audit trail, so it is refused rather than cut down to something that looks harmless.
        raise file_error(
            "Nom de fichier refusé : envoyez le fichier lui-même, sans chemin ni caractère de contrôle."
        )
    extension = PurePath(name).suffix.lower()
    if data.startswith(_OLE_MAGIC) or extension == ".xls":
        raise file_error(
            "Ancien format Excel (.xls) non pris en charge : enregistrez le classeur au format .xlsx ou .csv."
        )
    if extension not in CSV_EXTENSIONS | XLSX_EXTENSIONS:
        shown = extension or "sans extension"
        raise file_error(f"Type de fichier non pris en charge ({shown}) : déposez un fichier .csv ou .xlsx.")
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise file_error("Le fichier est vide.")
    if extension in XLSX_EXTENSIONS or data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data)
    return _read_csv(data, known_headers=frozenset(known_headers))


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def decode(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding name), refusing what cannot be read without guessing."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise file_error(f"Le fichier est encodé en UTF-16 : {_RESAVE}.", line=1)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise file_error(
            f"Octet nul ligne {_line_of(data, nul)} : ce n'est pas un fichier CSV texte "
            f"(UTF-16 sans marque ou fichier binaire ?) ; {_RESAVE}.",
            line=_line_of(data, nul),
        )
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start + len(codecs.BOM_UTF8))
            raise file_error(
                f"Le fichier s'annonce en UTF-8 mais la ligne {line} contient des caractères "
                f"dans un autre encodage : {_RESAVE}.",
                line=line,
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_failure = _line_of(data, exc.start)
    if _UTF8_SEQUENCE.search(data):
        raise file_error(
            f"Encodages mélangés : le fichier est en UTF-8 mais la ligne {utf8_failure} "
            f"contient des caractères dans un autre encodage ; {_RESAVE}.",
            line=utf8_failure,
        )
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise file_error(
            f"Encodage non reconnu : la ligne {line} n'est lisible ni en UTF-8 ni en "
            f"Windows-1252 ; {_RESAVE}.",
            line=line,
        ) from None


def _choose_delimiter(header: str, *, sample: str, known: frozenset[str]) -> str:
    """The delimiter that turns the header into the most known column names; the Sniffer breaks ties at 0."""
    best, best_score = "", 0
    for delimiter in DELIMITERS:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        score = sum(1 for cell in cells if header_key(cell) in known)
        if score > best_score:
            best, best_score = delimiter, score
    if best:
        return best
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ";"


def _read_csv(data: bytes, *, known_headers: frozenset[str]) -> Table:
    text, encoding = decode(data)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise file_error(
            f"Caractère de contrôle ligne {line} : ce n'est pas un fichier CSV texte ; {_RESAVE}.", line=line
        )
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise file_error("Le fichier est vide.")
    delimiter = ""
    sep = _SEP_LINE.match(lines[first])
    if sep:
        delimiter = sep.group(1)
        first = next((i for i in range(first + 1, len(lines)) if lines[i].strip()), None)
        if first is None:
            raise file_error("Le fichier est vide.")
    if not delimiter:
        delimiter = _choose_delimiter(
            lines[first], sample="\n".join(lines[first : first + 20]), known=known_headers
        )

    rows: list[Row] = []
    header: tuple[str, ...] = ()
    reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=delimiter, strict=True)
    while True:
        start = first + reader.line_num + 1  # the line this record starts on, even if quotes span lines
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise file_error(
                f"Ligne {start} illisible ({_csv_reason(exc)}) : vérifiez les guillemets.", line=start
            ) from None
        cells = tuple(cell.strip() for cell in record)
        if not any(cells):
            continue
        if not header:
            header = cells
            continue
        rows.append(Row(start, cells))
        if len(rows) > MAX_ROWS:
            raise file_error(f"Plus de {MAX_ROWS} lignes : découpez le fichier.", line=start)

    header_line = first + 1
    named = [cell for cell in header if cell]
    if len(named) == 1 and _SEPARATOR_LIKE.search(named[0]):
        shown = named[0] if len(named[0]) <= 60 else named[0][:57] + "…"
        raise file_error(
            f"Séparateur de colonnes non reconnu : l'en-tête « {shown} » forme une seule "
            "colonne. Séparez les colonnes par des points-virgules (;), des virgules (,) ou des "
            "tabulations.",
            line=header_line,
            field=SEPARATOR_FIELD,
        )
    _require_rows(rows, header_line)
    return Table(
        file_type="csv",
        encoding=encoding,
        delimiter=delimiter,
        header_line=header_line,
        header=header,
        rows=tuple(rows),
    )


def _csv_reason(exc: csv.Error) -> str:
    message = str(exc)
    if "unexpected end of data" in message:
        return "guillemet ouvert jamais refermé"
    if "expected after" in message:
        return "texte collé après un guillemet fermant"
    return message


def _require_rows(rows: list[Row], header_line: int) -> None:
    if not rows:
        raise file_error(
            "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer.", line=header_line
        )


def _read_xlsx(data: bytes) -> Table:
    import openpyxl  # imported here: only XLSX uploads pay for it

    invalid = file_error(
        "Ce fichier n'est pas un classeur Excel valide (.xlsx) : ouvrez-le dans Excel ou "
        "LibreOffice et enregistrez-le à nouveau au format .xlsx."
    )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # zip, XML and openpyxl's own errors share no base class
        raise invalid from exc
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise file_error("Le classeur ne contient aucune feuille de calcul.")
        sheet = sheets[0]
        sheet.reset_dimensions()  # exporters often record a wrong used range; read what is there
        header_line = 0
        header: tuple[str, ...] = ()
        rows: list[Row] = []
        cells_of = sheet.iter_rows(max_col=MAX_COLUMNS)
        for number in itertools.count(1):
            try:  # read_only parses lazily: a broken sheet only shows while iterating
                read = next(cells_of)
            except StopIteration:
                break
            except Exception as exc:
                raise invalid from exc
            cells = _trim(cell_text(getattr(cell, "value", None)) for cell in read)
            if not any(cells):
                continue
            if not header:
                header_line, header = number, cells
                continue
            formulas = tuple(
                position for position, cell in enumerate(read) if getattr(cell, "data_type", None) == "f"
            )
            rows.append(Row(number, cells, formulas))
            if len(rows) > MAX_ROWS:
                raise file_error(f"Plus de {MAX_ROWS} lignes : découpez le fichier.", line=number)
    finally:
        workbook.close()
    if not header:
        raise file_error("Le fichier est vide : la première feuille du classeur ne contient aucune donnée.")
    _require_rows(rows, header_line)
    return Table(
        file_type="xlsx",
        encoding=None,
        delimiter=None,
        header_line=header_line,
        header=header,
        rows=tuple(rows),
    )


def _trim(cells: Iterable[str]) -> tuple[str, ...]:
    out = list(cells)
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def cell_text(value: object) -> str:
    """A spreadsheet value as the text the validator reads; Excel turns codes and amounts into numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) and isinstance(getattr(value, "text", None), str):
        return value.text.strip()  # an array formula: its text
    return str(value).strip()
