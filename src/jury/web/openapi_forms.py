"""Document in the OpenAPI schema the form a page handler reads itself, as the form body it is.

Many form posts read `await request.form()` rather than a `data` parameter: their fields are dynamic (one per
candidate or criterion), repeated (`diploma_id` several times), or a refusal must show the page again with
the visitor's input rather than Litestar's 400. Litestar documents no body for them, so the contract (and the
fuzzing, and any generated client) never knew what they take. `form_body(FormStruct)` goes in the route's
`opt`; `jury.web.openapi_errors.document_error_responses` then documents the struct as the operation's
`application/x-www-form-urlencoded` (or `multipart/form-data`) body, required fields and constraints
(lengths, ranges, enumerations through `Literal` and `msgspec.Meta`) included, and the 400/413 a body brings.

The struct documents; it does not validate: the handler's own reading of the form (and its service) stays the
one rule, so the struct must be written as strict as that rule, no stricter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody

__all__ = ["FORM_BODY", "FormBody", "form_body", "with_form_body"]

FORM_BODY = "form_body"


@dataclass(frozen=True)
class FormBody:
    """The documented body of a form post: its JSON schema (inline, no components) and encoding."""

    schema: dict[str, Any]
    media_type: str
    description: str


def form_body(
    form: type[msgspec.Struct],
    *,
    multipart: bool = False,
    description: str = "",
    dynamic: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`opt=` for a handler that reads its form itself: the struct describing the fields it reads.

    `dynamic` documents fields named after a row (`value-12`, `choice-7`): a name pattern and the type of its
    values, as JSON schema (`{"^value-[0-9]+$": {"type": "string"}}`).
    """
    media_type = RequestEncodingType.MULTI_PART if multipart else RequestEncodingType.URL_ENCODED
    schema = _inline_schema(form)
    if dynamic:
        schema["patternProperties"] = dict(dynamic)
    return {FORM_BODY: FormBody(schema=schema, media_type=media_type.value, description=description)}


def with_form_body(operation_class: type[Operation], body: FormBody) -> type[Operation]:
    """An operation class like `operation_class` whose request body is the documented form.

    Built afresh from the given base each time, so that documenting an app twice (standalone handlers are
    shared by every app of a process) gives the same schema.
    """

    def __post_init__(self: Operation) -> None:
        base_post_init = getattr(operation_class, "__post_init__", None)
        if base_post_init is not None:
            base_post_init(self)
        self.request_body = RequestBody(
            content={body.media_type: OpenAPIMediaType(schema=body.schema)},  # type: ignore[arg-type]
            description=body.description or None,
            required=True,
        )

    return dataclass(
        type(f"Form{operation_class.__name__}", (operation_class,), {"__post_init__": __post_init__})
    )


def _inline_schema(form: type[msgspec.Struct]) -> dict[str, Any]:
    """The struct's JSON schema with its definitions inlined (forms are flat; nested structs are not forms).

    An optional field (`int | None = None`) is documented as its type, not nullable: a form leaves it out.
    """
    generated = msgspec.json.schema(form)
    definitions = generated.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return inline(definitions[ref.removeprefix("#/$defs/")])
            options = [o for o in node.get("anyOf", []) if o != {"type": "null"}]
            if (
                len(options) == 1 and len(node["anyOf"]) == 2
            ):  # a form cannot send null: the field is left out
                rest = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
                return inline({**options[0], **rest})
            return {key: inline(value) for key, value in node.items() if key != "title"}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    return inline(generated)
