"""Entry point for production ASGI servers: `uvicorn jury.asgi:app --workers N --proxy-headers`.

`jury serve` is the one-machine path: it migrates, may start an embedded PostgreSQL and runs a single
uvicorn. A deployment instead runs migrations once (`jury migrate`, a one-shot job) and several
server processes per replica behind a proxy; each process imports this module and builds its own app and
pool. Building the app opens no connection (the pool is created in the lifespan), so importing is cheap
and safe for tooling.

Both variables checked here have a one-process fallback that is wrong with several processes: without
`DATABASE_URL` nothing starts the embedded server, and a random per-process `JURY_SECRET_KEY` would make
one worker reject what another signed. Failing at import names the missing variable in the server's log
instead of serving errors later.

`make_app` is the same thing as a factory, for `uvicorn --factory jury.asgi:make_app`, other servers
that want to own construction, or tests passing their own environment. (Importing the module still
builds `app`; that costs a fraction of a second, once per process.)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from litestar import Litestar

from jury.app import create_app
from jury.log import configure_logging
from jury.settings import SettingsError, load_settings

REQUIRED = ("DATABASE_URL", "JURY_SECRET_KEY")


def make_app(environ: Mapping[str, str] | None = None) -> Litestar:
    environ = os.environ if environ is None else environ
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        raise SettingsError(
            f"jury.asgi needs {' and '.join(missing)}: replicas share one database and one key "
            "(`jury serve` is the single-process command with an embedded PostgreSQL)"
        )
    settings = load_settings(environ)
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    # The uvicorn CLI installs its own text handlers before importing us; routing its loggers to the root
    # keeps one log format (JSON lines in containers), as `jury serve` gets with log_config=None.
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    return create_app(settings)


app = make_app()
