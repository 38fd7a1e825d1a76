"""Every text field of a write must be text: UTF-8, without NUL characters, or the request is refused naming it.

Litestar decodes url-encoded fields leniently (a percent-escape of a byte that is not UTF-8 becomes U+FFFD,
or fails deep in `urllib`), multipart fields strictly but without saying which field, and JSON strings
strictly, also without a field. PostgreSQL then refuses a NUL character in text. Either way a juror's
comment could be stored as mojibake, or the answer would be a bare error without the field to correct.

`require_text_fields` runs as the application's `before_request` hook: after the guards (an anonymous
visitor still gets 401), before the handler reads its data, once per request (the body is cached).
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from litestar import Request

from jury.errors import FieldError, JuryError

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_UTF8 = "Ce champ n'est pas du texte UTF-8 valide."
HAS_NUL = "Ce champ contient un caractère nul : retirez-le."
FORM_MESSAGE = "Requête invalide : un champ n'est pas du texte lisible. Rien n'a été enregistré."
JSON_NOT_UTF8 = "Le corps de la requête n'est pas du texte UTF-8 valide."
JSON_NUL = "Le corps de la requête contient un caractère nul (\\u0000)."
BODY = "corps"

_DISPOSITION_PARAM = re.compile(rb';\s*([A-Za-z*]+)="((?:[^"\\]|\\.)*)"|;\s*([A-Za-z*]+)=([^;\s]*)')
# The key of the innermost member being written at some position of a JSON text (good enough to name
# the field of a bad string: keys are short ASCII names in every body the application takes).
_JSON_KEY = re.compile(rb'"((?:[^"\\]|\\.){1,100})"\s*:')
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


async def require_text_fields(request: Request) -> None:
    if request.method not in WRITES:
        return None
    content_type, options = request.content_type
    if content_type == "application/x-www-form-urlencoded":
        _check_fields(_urlencoded_fields(await request.body()))
    elif content_type == "multipart/form-data" and options.get("boundary"):
        _check_fields(_multipart_fields(await request.body(), options["boundary"].encode("latin-1")))
    elif content_type == "application/json" or content_type.endswith("+json"):
        _check_json(await request.body())
    return None


def _check_fields(fields: list[tuple[bytes, bytes]]) -> None:
    for name, value in fields:
        shown = name.decode("utf-8", "replace")
        for part in (name, value):
            try:
                text = part.decode("utf-8")
            except UnicodeDecodeError:
                raise JuryError(FORM_MESSAGE, errors=[FieldError(field=shown, message=NOT_UTF8)]) from None
            if "\x00" in text:
                raise JuryError(FORM_MESSAGE, errors=[FieldError(field=shown, message=HAS_NUL)])


def _urlencoded_fields(body: bytes) -> list[tuple[bytes, bytes]]:
    fields = []
    for pair in body.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        fields.append(
            (unquote_to_bytes(name.replace(b"+", b" ")), unquote_to_bytes(value.replace(b"+", b" ")))
        )
    return fields


def _multipart_fields(body: bytes, boundary: bytes) -> list[tuple[bytes, bytes]]:
    """The plain fields (not the files) of a multipart body, as raw bytes."""
    fields = []
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):
            break
        head, separator, content = part.partition(b"\r\n\r\n")
        if not separator:
            continue
        params: dict[bytes, bytes] = {}
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-disposition:"):
                for m in _DISPOSITION_PARAM.finditer(line):
                    key = (m.group(1) or m.group(3)).lower()
                    params[key] = m.group(2) if m.group(1) else m.group(4)
        if b"name" not in params or b"filename" in params or b"filename*" in params:
            continue  # a file: its bytes are the importer's to judge, line by line
        fields.append((params[b"name"], content.removesuffix(b"\r\n")))
    return fields


def _check_json(body: bytes) -> None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JuryError(
            JSON_NOT_UTF8, errors=[FieldError(field=_json_key_before(body, exc.start), message=NOT_UTF8)]
        ) from None
    if nul := _JSON_NUL.search(body):
        raise JuryError(
            JSON_NUL, errors=[FieldError(field=_json_key_before(body, nul.start()), message=HAS_NUL)]
        )


def _json_key_before(body: bytes, position: int) -> str:
    keys = _JSON_KEY.findall(body[:position])
    return keys[-1].decode("utf-8", "replace") if keys else BODY
