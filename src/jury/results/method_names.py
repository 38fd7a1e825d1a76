"""The calibration methods as a type, for request bodies: `Literal` so that msgspec refuses any other name
(422, the accepted ones listed) and the OpenAPI schema shows the list. Kept equal to `normalise.METHODS`,
the engine's own list, by `tests/security/test_strict_request_schemas.py`."""

from __future__ import annotations

from typing import Literal

MethodName = Literal["affine", "affine-huber", "additive", "zscore", "trimmed", "median", "raw"]
