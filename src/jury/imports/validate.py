"""Checking rows against an edition's rules: validated records, or every error with its line and column.

Pure: a `Table`, the rules loaded by the service (communes, categories, panels, numbers already taken)
and nothing else. Every problem is collected (up to a cap) so an organiser fixes the whole file in one
pass; a single one means nothing is written. Errors name the canonical column (`code_insee`, `courriel`,
…) whatever spelling the file's header used.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from jury.contests.eligibility import Application, check_application
from jury.errors import Invalid
from jury.imports.models import (
    CandidateRecord,
    CandidateRules,
    Commune,
    ExistingCandidate,
    ImportKind,
    JurorRecord,
    JurorRules,
    PanelRef,
    Problems,
    Row,
    Table,
    column_lookup,
    columns_for,
    fold,
    header_key,
    required_for,
)
from jury.imports.parse import DELIMITER_PLURALS, DELIMITERS, SEPARATOR_FIELD

# Stricter than the database's check so that a typo ("jean@@x", "jean@x,fr") is caught here, with its line.
_EMAIL = re.compile(r"^[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\".]+(\.[^@\s,;<>()\[\]\".]+)*\.[^\W\d_]{2,}$")
_INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_CURRENCY = re.compile(r"(€|eur(os?)?)$", re.IGNORECASE)
_FR_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

ROLE_WORDS = {
    "jure": "juror",
    "juree": "juror",
    "membre": "juror",
    "membre du jury": "juror",
    "juror": "juror",
    "president": "chair",
    "presidente": "chair",
    "president du jury": "chair",
    "presidente du jury": "chair",
    "presidence": "chair",
    "chair": "chair",
}
# A cell a spreadsheet would evaluate (OWASP "CSV injection"): refused at the door, with its column, rather
# than stored and left to every export to neutralise (they do too: `jury.spreadsheet.neutralise`).
# Columns read as numbers, dates or codes are stored typed (their own parsers refuse anything else), so
# only the text columns are checked.
FORMULA_STARTS = ("=", "+", "-", "@")
TYPED_COLUMNS = frozenset(
    {"montant_demande", "date_creation", "numero", "code_insee", "role", "professionnel"}
)
YES = frozenset({"oui", "o", "yes", "y", "vrai", "true", "1", "x"})
NO = frozenset({"non", "n", "no", "faux", "false", "0"})


class _Sheet:
    """The header mapped to canonical columns, and row access by column name."""

    def __init__(
        self, table: Table, *, kind: ImportKind, required: tuple[tuple[str, ...], ...], problems: Problems
    ) -> None:
        self.table = table
        self.problems = problems
        self.index: dict[str, int] = {}
        lookup = column_lookup(kind)
        known = ", ".join(column.name for column in columns_for(kind))
        line = table.header_line
        for position, raw in enumerate(table.header):
            if not raw:
                used = next(
                    (row.line for row in table.rows if position < len(row.cells) and row.cells[position]),
                    None,
                )
                if used is not None:
                    problems.add(
                        line=line,
                        field=f"colonne {position + 1}",
                        message=f"Colonne sans nom alors qu'elle contient des valeurs "
                        f"(ligne {used}) : nommez-la ou supprimez-la.",
                    )
                continue
            name = lookup.get(header_key(raw))
            if name is None:
                close = difflib.get_close_matches(header_key(raw), list(lookup), n=1, cutoff=0.75)
                hint = f" Vouliez-vous dire « {lookup[close[0]]} » ?" if close else ""
                problems.add(
                    line=line,
                    field=raw,
                    message=f"Colonne inconnue « {raw} ».{hint} Colonnes possibles : {known}.",
                )
            elif name in self.index:
                problems.add(
                    line=line,
                    field=name,
                    message=f"Colonne « {name} » en double (colonnes {self.index[name] + 1} "
                    f"et {position + 1}).",
                )
            else:
                self.index[name] = position
        for group in required:
            if not any(name in self.index for name in group):
                problems.add(
                    line=line, field=group[0], message=f"Colonne obligatoire absente : {' ou '.join(group)}."
                )

    def rows(self) -> Iterable[Row]:
        """Rows whose shape is sound; a row split by another delimiter is reported once, not per column."""
        width = len(self.table.header)
        for row in self.table.rows:
            extra = [cell for cell in row.cells[width:] if cell]
            if extra:
                self.problems.add(
                    line=row.line,
                    field=SEPARATOR_FIELD,
                    message=f"{width + len(extra)} valeurs pour {width} colonnes d'en-tête : "
                    "vérifiez les séparateurs et les guillemets de cette ligne.",
                )
                continue
            delimiter = self.table.delimiter
            filled = [cell for cell in row.cells if cell]
            if delimiter and width > 1 and len(filled) == 1 and row.cells[0]:
                other = next((d for d in DELIMITERS if d != delimiter and d in row.cells[0]), None)
                if other:
                    self.problems.add(
                        line=row.line,
                        field=SEPARATOR_FIELD,
                        message=f"Cette ligne est séparée par des {DELIMITER_PLURALS[other]} "
                        f"alors que l'en-tête l'est par des "
                        f"{DELIMITER_PLURALS[delimiter]}.",
                    )
                    continue
            yield row

    def has(self, name: str) -> bool:
        return name in self.index

    def check_formulas(self, row: Row) -> bool:
        """Refuse every cell of the row that a spreadsheet would read as a formula, naming its column.

        A workbook's real formula cell is refused in every column, typed ones included: what the file holds
        is the formula (its cached result is missing from files written by programs), not a value typed.
        Returns whether the row holds one: its other checks would only read the formula's text again.
        """
        formula_cells = False
        for name, position in self.index.items():
            cell = row.cells[position] if position < len(row.cells) else ""
            if position in row.formulas:
                shown = cell if len(cell) <= 40 else cell[:40] + "…"
                self.problems.add(
                    line=row.line,
                    field=name,
                    message=f"Formule refusée : la cellule contient la formule « {shown} » ; remplacez-la "
                    "par sa valeur (copier, puis collage spécial « valeurs seulement »).",
                )
                formula_cells = True
                continue
            if name in TYPED_COLUMNS:
                continue
            if len(cell) > 1 and cell.startswith(FORMULA_STARTS):
                shown = cell if len(cell) <= 40 else cell[:40] + "…"
                self.problems.add(
                    line=row.line,
                    field=name,
                    message=f"Valeur refusée : « {shown} » commence par « {cell[0]} » et serait lue comme une "
                    "formule par un tableur ; retirez ce caractère.",
                )
        return formula_cells

    def get(self, row: Row, name: str) -> str:
        position = self.index.get(name)
        if position is None or position >= len(row.cells):
            return ""
        return row.cells[position]


def _check_required(
    sheet: _Sheet, *, row: Row, required: tuple[tuple[str, ...], ...], problems: Problems
) -> None:
    for group in required:
        present = [name for name in group if sheet.has(name)]
        if present and not any(sheet.get(row, name) for name in present):
            message = (
                "Valeur obligatoire manquante."
                if len(present) == 1
                else f"Valeur obligatoire manquante : renseignez {' ou '.join(present)}."
            )
            problems.add(line=row.line, field=present[0], message=message)


def email_error(value: str) -> str | None:
    if _EMAIL.match(value):
        return None
    return f"Adresse électronique invalide : « {value} »."


class _Communes:
    def __init__(self, communes: Iterable[Commune]) -> None:
        self.by_insee: dict[str, Commune] = {}
        self.by_postal: dict[str, list[Commune]] = defaultdict(list)
        self.by_name: dict[str, Commune] = {}
        for commune in communes:
            self.by_insee[commune.insee_code] = commune
            self.by_name[fold(commune.name)] = commune
            for code in commune.postal_codes:
                self.by_postal[code].append(commune)

    def check(self, raw: str) -> tuple[str | None, str | None]:
        """(INSEE code, None) or (None, the French reason it is not one)."""
        code = _SPACES.sub("", raw).upper()
        if code in self.by_insee:
            return code, None
        if code in self.by_postal:
            found = self.by_postal[code]
            if len(found) == 1:
                return None, (
                    f"{code} est le code postal de {found[0].name}, pas son code INSEE : "
                    f"indiquez {found[0].insee_code}."
                )
            choices = ", ".join(f"{c.insee_code} pour {c.name}" for c in found)
            return None, f"{code} est un code postal, pas un code INSEE : indiquez {choices}."
        if _INSEE.match(code):
            return None, (
                f"Commune inconnue : aucune commune de code INSEE {code} parmi les communes acceptées."
            )
        named = self.by_name.get(fold(raw))
        if named is not None:
            return None, f"« {raw} » est un nom de commune : indiquez son code INSEE, {named.insee_code}."
        return None, (
            f"Code INSEE invalide : « {raw} » (5 caractères attendus, par exemple 92050 pour Nanterre)."
        )


def parse_amount(raw: str) -> tuple[int | None, str | None]:
    """'15 000', '15000 €', '15 000,00 €' and '15.000' are 15000 euros; decimals and signs are refused."""
    text = _SPACES.sub("", raw)
    text = _CURRENCY.sub("", text)
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    match = re.fullmatch(r"([+-]?\d+)([,.]0{1,2})?", text)
    if match:
        amount = int(match.group(1))
        if amount < 0:
            return None, f"Montant négatif : « {raw} »."
        return amount, None
    if re.fullmatch(r"[+-]?\d+[,.]\d+", text):
        if text.startswith("-"):
            return None, f"Montant négatif : « {raw} »."
        return None, f"Montant non entier : « {raw} » (euros entiers attendus, sans centimes)."
    return None, f"Montant non numérique : « {raw} » (par exemple 15 000 ou 15000 €)."


def parse_date(raw: str) -> tuple[dt.date | None, str | None]:
    match = _FR_DATE.fullmatch(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.fullmatch(raw)
        if not match:
            return None, f"Date invalide : « {raw} » (JJ/MM/AAAA ou AAAA-MM-JJ attendu)."
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, f"Date impossible : « {raw} »."


def parse_entry_number(raw: str) -> tuple[int | None, str | None]:
    text = raw.strip()
    if text.isdigit() and text.isascii() and 0 < int(text) < 1_000_000:
        return int(text), None
    return None, f"Numéro invalide : « {raw} » (nombre entier positif attendu)."


class _CandidateChecks:
    """The rules of one candidate row, shared by a file's rows, the API and the form: one rule set.

    Malformed data (a bad e-mail, an unknown category or commune, a taken number) is refused with its
    column; the edition's eligibility rules only flag the record (`CandidateRecord.eligibility`).
    """

    def __init__(self, rules: CandidateRules) -> None:
        self.rules = rules
        self.communes = _Communes(rules.communes)
        self.forms = {fold(form): form for form in rules.eligible_legal_forms}
        self.categories: dict[str, int] = {}
        for category in rules.categories:
            self.categories[fold(category.name)] = category.id
        for category in rules.categories:  # a code wins over another category's identical name
            self.categories[fold(category.code)] = category.id
        self.category_list = ", ".join(f"{c.code} ({c.name})" for c in rules.categories) or "aucune"
        self.numbers_seen: dict[int, int | None] = {}
        self.numbered = {c.entry_number: c for c in rules.existing if c.entry_number is not None}

    def _own_number(self, number: int, *, keys: list[tuple[str, str]]) -> bool:
        """Whether the candidate holding this number is the one the row names (a file imported again)."""
        holder = self.numbered.get(number)
        if holder is None:
            return False
        return bool(
            set(keys)
            & set(
                identity_keys(
                    organisation_name=holder.organisation_name,
                    person_name=holder.person_name,
                    email=holder.email,
                    insee_code=holder.insee_code,
                )
            )
        )

    def check(
        self, get: Callable[[str], str], *, line: int | None, problems: Problems
    ) -> CandidateRecord | None:
        """The record of one row, or None when `problems` got at least one refusal for it."""
        rules = self.rules
        before = problems.total

        def add(field: str, message: str) -> None:
            problems.add(line=line, field=field, message=message)

        email = get("courriel")
        if email and (error := email_error(email)):
            add("courriel", error)

        insee_code = None
        if raw := get("code_insee"):
            insee_code, error = self.communes.check(raw)
            if error:
                add("code_insee", error)

        legal_form = get("forme_juridique")
        if legal_form and fold(legal_form) in self.forms:
            legal_form = self.forms[fold(legal_form)]  # the edition's own spelling

        founded_on = None
        if raw := get("date_creation"):
            founded_on, error = parse_date(raw)
            if error:
                add("date_creation", error)
            elif founded_on and founded_on > rules.today:
                add("date_creation", f"Date de création dans le futur : « {raw} ».")
            elif founded_on and founded_on.year < 1800:
                add("date_creation", f"Date de création improbable : « {raw} ».")

        requested_eur = None
        if raw := get("montant_demande"):
            requested_eur, error = parse_amount(raw)
            if error:
                add("montant_demande", error)

        entry_number = None
        if raw := get("numero"):
            entry_number, error = parse_entry_number(raw)
            if error:
                add("numero", error)
            elif entry_number in self.numbers_seen:
                add(
                    "numero",
                    f"Numéro {entry_number} déjà utilisé ligne {self.numbers_seen[entry_number]} du fichier.",
                )
            elif entry_number in rules.taken_entry_numbers and not self._own_number(
                entry_number,
                keys=identity_keys(
                    organisation_name=get("nom_structure"),
                    person_name=get("nom_porteur"),
                    email=email,
                    insee_code=insee_code or "",
                ),
            ):
                add("numero", f"Numéro {entry_number} déjà attribué à un candidat de l'édition.")
            if entry_number is not None:
                self.numbers_seen.setdefault(entry_number, line)

        category_id = None
        if raw := get("categorie"):
            category_id = self.categories.get(fold(raw))
            if category_id is None:
                add(
                    "categorie",
                    f"Catégorie inconnue : « {raw} » (catégories de l'édition : {self.category_list}).",
                )

        if problems.total != before:
            return None
        filled = frozenset(column.name for column in columns_for("candidats") if get(column.name))
        application = Application(
            insee_code=insee_code or "",
            legal_form=legal_form,
            founded_on=founded_on,
            requested_eur=requested_eur,
            filled=filled,
        )
        return CandidateRecord(
            line=line or 0,
            organisation_name=get("nom_structure"),
            person_name=get("nom_porteur"),
            email=email,
            insee_code=insee_code or "",
            legal_form=legal_form,
            founded_on=founded_on,
            requested_eur=requested_eur,
            entry_number=entry_number,
            creation_name=get("creation"),
            category_id=category_id,
            project_title=get("projet"),
            eligibility=check_application(application, rules.eligibility),
        )


def validate_candidates(table: Table, rules: CandidateRules) -> list[CandidateRecord]:
    """Every row checked against the edition; raises `Invalid` with all errors, or returns all records.

    Records that fail an eligibility rule are returned, flagged: they are imported and shown as such.
    """
    problems = Problems()
    required = required_for("candidats", rules.candidate_kind)
    sheet = _Sheet(table, kind="candidats", required=required, problems=problems)
    checks = _CandidateChecks(rules)
    records: list[CandidateRecord] = []
    seen: dict[tuple[str, str], int] = {}  # identity key → first line

    for row in sheet.rows():
        before = problems.total
        if sheet.check_formulas(row):
            continue
        _check_required(sheet, row=row, required=required, problems=problems)
        record = checks.check(lambda name, row=row: sheet.get(row, name), line=row.line, problems=problems)
        if record is not None and problems.total == before:
            _check_duplicate(record, seen=seen, problems=problems)
        if record is not None and problems.total == before:
            records.append(record)
    problems.raise_if_any()
    return records


def identity_keys(
    *, organisation_name: str, person_name: str, email: str, insee_code: str
) -> list[tuple[str, str]]:
    """What makes two rows the same candidate: the same e-mail, or the same name in the same commune."""
    keys = []
    if email.strip():
        keys.append(("courriel", email.strip().casefold()))
    name = fold(organisation_name or person_name)
    if name and insee_code:
        keys.append(("nom_commune", f"{name}|{insee_code}"))
    return keys


def _record_keys(record: CandidateRecord) -> list[tuple[str, str]]:
    return identity_keys(
        organisation_name=record.organisation_name,
        person_name=record.person_name,
        email=record.email,
        insee_code=record.insee_code,
    )


def _check_duplicate(
    record: CandidateRecord, *, seen: dict[tuple[str, str], int], problems: Problems
) -> None:
    """A row naming the same candidate as an earlier row of the file is refused, naming both lines."""
    for key in _record_keys(record):
        first = seen.get(key)
        if first is not None:
            what = f"même courriel « {record.email} »" if key[0] == "courriel" else "même nom, même commune"
            problems.add(
                line=record.line,
                field="courriel" if key[0] == "courriel" else "nom_structure",
                message=f"Ligne {record.line} en double de la ligne {first} ({what}) : gardez-en une seule.",
            )
            return
    for key in _record_keys(record):
        seen[key] = record.line


def existing_matches(
    records: Iterable[CandidateRecord], existing: Iterable[ExistingCandidate]
) -> dict[int, tuple[ExistingCandidate, str]]:
    """Rows (by line) naming a candidate already in the edition, with what matched (e-mail first)."""
    known: dict[tuple[str, str], ExistingCandidate] = {}
    for candidate in existing:
        for key in identity_keys(
            organisation_name=candidate.organisation_name,
            person_name=candidate.person_name,
            email=candidate.email,
            insee_code=candidate.insee_code,
        ):
            known.setdefault(key, candidate)
    matches: dict[int, tuple[ExistingCandidate, str]] = {}
    for record in records:
        for key in _record_keys(record):
            if key in known:
                matches[record.line] = (known[key], key[0])
                break
    return matches


def validate_candidate(values: Mapping[str, str], rules: CandidateRules) -> CandidateRecord:
    """One candidate given by column name (the API, the form): the same checks as a file's row.

    Every column counts as present, so a required one left empty is refused with its name.
    """
    problems = Problems()
    unknown = sorted(set(values) - {column.name for column in columns_for("candidats")})
    for name in unknown:
        problems.add(line=None, field=name, message=f"Champ inconnu « {name} ».")
    for group in required_for("candidats", rules.candidate_kind):
        if not any(values.get(name, "").strip() for name in group):
            message = (
                "Valeur obligatoire manquante."
                if len(group) == 1
                else f"Valeur obligatoire manquante : renseignez {' ou '.join(group)}."
            )
            problems.add(line=None, field=group[0], message=message)
    record = _CandidateChecks(rules).check(
        lambda name: values.get(name, "").strip(), line=None, problems=problems
    )
    if problems:
        count = f"{problems.total} erreur" + ("s" if problems.total > 1 else "")
        raise Invalid(f"Candidat refusé ({count}) : rien n'a été enregistré.", errors=list(problems.items))
    assert record is not None
    return record


def assign_entry_numbers(given: Iterable[int | None], *, taken: Iterable[int]) -> list[int]:
    """Numbers for rows in order: a given one is kept, a missing one gets the next free number after the
    edition's highest (never a gap-filler, so numbers follow the order of arrival)."""
    wanted = list(given)
    used = set(taken) | {n for n in wanted if n is not None}
    next_free = max(set(taken) | {0}) + 1
    numbers = []
    for number in wanted:
        if number is None:
            while next_free in used:
                next_free += 1
            number = next_free
            used.add(number)
        numbers.append(number)
    return numbers


def _panel_matcher(panels: tuple[PanelRef, ...]) -> Callable[[str], tuple[PanelRef | None, str | None]]:
    by_name: dict[str, list[PanelRef]] = defaultdict(list)
    for panel in panels:
        by_name[fold(panel.name)].append(panel)
        for separator in (" / ", " — ", " - "):
            by_name[fold(f"{panel.round_name}{separator}{panel.name}")].append(panel)
    listing = ", ".join(f"{p.name} ({p.round_name})" for p in panels) or "aucun"

    def match(raw: str) -> tuple[PanelRef | None, str | None]:
        found = by_name.get(fold(raw), [])
        if len(found) == 1:
            return found[0], None
        if not found:
            return None, f"Jury inconnu : « {raw} » (jurys de l'édition : {listing})."
        example = f"{found[0].round_name} / {found[0].name}"
        return None, (
            f"Jury « {raw} » ambigu : il existe dans plusieurs tours ; écrivez par exemple « {example} »."
        )

    return match


def validate_jurors(table: Table, rules: JurorRules) -> list[JurorRecord]:
    """Every row checked; one person per e-mail, one chair per panel, panels of this edition only."""
    problems = Problems()
    required = required_for("jures", "")
    sheet = _Sheet(table, kind="jures", required=required, problems=problems)
    match_panel = _panel_matcher(rules.panels)
    panel_names = {panel.id: panel.name for panel in rules.panels}
    seen: dict[str, tuple[int, str, str, set[int | None]]] = {}  # email → line, name, folded name, panels
    records: list[JurorRecord] = []

    for row in sheet.rows():
        before = problems.total
        if sheet.check_formulas(row):
            continue
        _check_required(sheet, row=row, required=required, problems=problems)

        def add(field: str, message: str, *, line: int = row.line) -> None:
            problems.add(line=line, field=field, message=message)

        name = sheet.get(row, "nom")
        email = sheet.get(row, "courriel")
        panel = None
        if raw := sheet.get(row, "jury"):
            panel, error = match_panel(raw)
            if error:
                add("jury", error)
        panel_id = panel.id if panel else None

        if email and (error := email_error(email)):
            add("courriel", error)
        elif email:
            key = email.casefold()
            if key in seen:
                line, first_name, folded, panels = seen[key]
                if folded != fold(name):
                    add("courriel", f"Courriel déjà utilisé ligne {line} pour « {first_name} ».")
                elif panel_id is None or None in panels or panel_id in panels:
                    add("courriel", f"Courriel en double : ce juré figure déjà ligne {line}.")
                panels.add(panel_id)
            else:
                seen[key] = (row.line, name, fold(name), {panel_id})

        role = None
        if raw := sheet.get(row, "role"):
            role = ROLE_WORDS.get(fold(raw))
            if role is None:
                add("role", f"Rôle inconnu : « {raw} » (« juré » ou « président » attendu).")
            elif role == "chair" and panel_id is None and not sheet.get(row, "jury"):
                add("role", "Un président doit être rattaché à un jury : renseignez la colonne jury.")

        is_professional = None
        if raw := sheet.get(row, "professionnel"):
            if fold(raw) in YES:
                is_professional = True
            elif fold(raw) in NO:
                is_professional = False
            else:
                add("professionnel", f"Valeur inattendue : « {raw} » (« oui » ou « non » attendu).")

        if problems.total == before:
            records.append(
                JurorRecord(
                    line=row.line,
                    full_name=name,
                    email=email,
                    title=sheet.get(row, "qualite"),
                    panel_id=panel_id,
                    role=role,
                    is_professional=is_professional,
                )
            )  # type: ignore[arg-type]

    _check_chairs(records, rules=rules, panel_names=panel_names, problems=problems)
    problems.raise_if_any()
    return records


def _check_chairs(
    records: list[JurorRecord], *, rules: JurorRules, panel_names: dict[int, str], problems: Problems
) -> None:
    """One chair per panel: in the file, and against a chair already seated unless the file demotes them."""
    chair_lines: dict[int, int] = {}
    demoted = {(r.panel_id, r.email.casefold()) for r in records if r.role == "juror"}
    seated = {chair.panel_id: chair for chair in rules.chairs}
    for record in records:
        if record.role != "chair" or record.panel_id is None:
            continue
        panel = panel_names[record.panel_id]
        if record.panel_id in chair_lines:
            problems.add(
                line=record.line,
                field="role",
                message=f"Le jury « {panel} » a déjà un président dans ce fichier "
                f"(ligne {chair_lines[record.panel_id]}).",
            )
            continue
        chair_lines[record.panel_id] = record.line
        current = seated.get(record.panel_id)
        if (
            current
            and current.email != record.email.casefold()
            and (record.panel_id, current.email) not in demoted
        ):
            problems.add(
                line=record.line,
                field="role",
                message=f"Le jury « {panel} » a déjà un président, {current.full_name} : ajoutez-le "
                "au fichier avec le rôle « juré » pour le remplacer.",
            )
