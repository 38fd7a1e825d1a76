"""The one place that wires the application: plugins, middleware, routes, templates, error handlers.

`create_app(settings)` takes everything it needs as arguments; tests pass their own settings and pool.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

import asyncpg
from litestar import Litestar, Request
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from jury import __version__
from jury.applications.web import (
    RATE_LIMIT_STORE,
    ApplicationOrganiserPages,
    ApplicationPages,
    ApplicationsApi,
    application_rate_limit,
)
from jury.assignments.web import AssignmentPages, AssignmentsApi
from jury.audit.web import AuditPages
from jury.auth.web import AccessCardPages, SignInPages, provide_identity
from jury.candidates.web import CandidatePages, CandidatesApi, add_candidate
from jury.clock import Clock, system_clock
from jury.contests.grid_web import GridApi, GridPages
from jury.contests.home_web import home
from jury.contests.setup_web import SetupApi, SetupPages
from jury.contests.web import ContestPages, ContestsApi
from jury.db.pool import create_pool
from jury.db.queries import Queries
from jury.db.session_cache import SessionCache
from jury.db.store import PostgresStore
from jury.deliberation.awards.web import DecisionPages, DecisionsApi, QualifiersApi
from jury.deliberation.grants.web import GrantPages, GrantsApi
from jury.deliberation.minutes.web import AdvancementApi, AdvancementPages, MinutesPages
from jury.deliberation.panel.web import NotesApi, PanelPages
from jury.deliberation.undo.web import ChairCorrectionPages, UndoApi, UndoPages
from jury.deliberation.votes.web import BallotPages, BallotsApi
from jury.diplomas.verify_web import VerifyCodePage
from jury.diplomas.web import DiplomaPages, PublicDiplomaPages
from jury.errors import JuryError
from jury.imports.web import ImportPages, ImportsApi
from jury.invitations.web import InvitationPages, InvitationsApi
from jury.log import request_logging_middleware
from jury.pdf.lifespan import pdf_lifespan
from jury.results.web import StandingPages, StandingsApi
from jury.rounds.entries_web import PanelMembersApi, RoundEntriesApi, RoundEntriesPages
from jury.rounds.setup_web import RoundSetupApi, RoundSetupPages
from jury.rounds.web import CorrectionsApi, EligibilityApi, RoundPages, RoundsApi, RoutingApi
from jury.scoring.conflicts_web import ConflictRegisterApi, ConflictRegisterPages
from jury.scoring.juror_web import JurorApi, JurorPages
from jury.scoring.progress_web import ProgressApi, ProgressPages
from jury.settings import Settings
from jury.web.deps import after_response_middleware, provide_db
from jury.web.errors import (
    http_error_handler,
    internal_error_handler,
    jury_error_handler,
    out_of_range_handler,
    undecodable_request_handler,
)
from jury.web.forms import require_text_fields
from jury.web.health import healthz
from jury.web.i18n import install_i18n, load_catalogues
from jury.web.language import choose_language
from jury.web.openapi_errors import document_error_responses
from jury.web.security import security_middleware_factory
from jury.web.sessions import LazySessionConfig
from jury.web.templating import make_environment
from jury.worker import in_process_consumer


def create_app(
    settings: Settings, *, pool: asyncpg.Pool | None = None, clock: Clock = system_clock
) -> Litestar:
    queries = Queries(settings.queries_dir)

    sessions_kept = SessionCache()

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncGenerator[None, None]:
        owned = pool is None
        app.state.pool = pool or await create_pool(
            settings.database_url or "", min_size=settings.pool_min_size, max_size=settings.pool_max_size
        )
        if settings.database_url:
            await sessions_kept.start(settings.database_url)  # sessions read once, until changed (issue 18)
        # What start-up built lives as long as the app: kept out of the collector's full passes (about
        # 60 ms each at this heap), which otherwise fall on a request now and then (issue 18).
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            await sessions_kept.stop()
            if owned:
                await app.state.pool.close()

    environment = make_environment(settings.templates_dir)
    install_i18n(environment, load_catalogues())  # pages in the visitor's language (jury.web.i18n)
    store = PostgresStore(pool_getter=lambda: app.state.pool, queries=queries, clock=clock)
    sessions = LazySessionConfig(
        store="sessions",
        key="jury_session",
        max_age=settings.session_idle_minutes * 60,
        # Idle expiry without a write per request: the session is written back after each response, and the
        # store skips the write unless the value changed or the deadline moves by a minute or more.
        renew_on_access=False,
        httponly=True,
        secure=settings.base_url.startswith("https://"),
        samesite="lax",
        exclude=["/healthz", "/static"],  # probes and assets never need a session (nor a database trip)
    )
    rate_limit = RateLimitConfig(
        rate_limit=("minute", settings.sign_in_attempts_per_minute),
        store="rate_limit",
        check_throttle_handler=_is_sign_in_attempt,
        # The tablets' sheet writes are never sign-in attempts: skipped before the layer runs (issue 18).
        exclude=["/static", "/healthz", "/api/jure/feuilles/"],
    )
    app = Litestar(
        route_handlers=[
            home,
            healthz,
            choose_language,
            ContestsApi,
            ContestPages,
            SetupApi,
            SetupPages,
            add_candidate,
            CandidatesApi,
            CandidatePages,
            ImportsApi,
            ImportPages,
            SignInPages,
            AccessCardPages,
            RoundsApi,
            RoutingApi,
            CorrectionsApi,
            EligibilityApi,
            RoundPages,
            RoundSetupApi,
            RoundSetupPages,
            GridApi,
            GridPages,
            RoundEntriesApi,
            PanelMembersApi,
            RoundEntriesPages,
            AssignmentsApi,
            AssignmentPages,
            AuditPages,
            NotesApi,
            PanelPages,
            BallotsApi,
            BallotPages,
            QualifiersApi,
            DecisionsApi,
            DecisionPages,
            UndoApi,
            UndoPages,
            ChairCorrectionPages,
            GrantsApi,
            GrantPages,
            AdvancementApi,
            AdvancementPages,
            MinutesPages,
            StandingsApi,
            StandingPages,
            JurorApi,
            JurorPages,
            ProgressApi,
            ProgressPages,
            ConflictRegisterApi,
            ConflictRegisterPages,
            DiplomaPages,
            PublicDiplomaPages,
            VerifyCodePage,
            ApplicationPages,
            ApplicationsApi,
            ApplicationOrganiserPages,
            InvitationsApi,
            InvitationPages,
            create_static_files_router(
                path="/static", directories=[settings.templates_dir / "static"], include_in_schema=False
            ),
        ],
        dependencies={"db": Provide(provide_db), "identity": Provide(provide_identity, sync_to_thread=False)},
        stores={
            "sessions": store.with_namespace("sessions").with_cache(sessions_kept),
            "rate_limit": store.with_namespace("rate_limit"),
            RATE_LIMIT_STORE: store.with_namespace(RATE_LIMIT_STORE),
        },
        lifespan=[database, pdf_lifespan, in_process_consumer],
        state=_initial_state(settings=settings, queries=queries, clock=clock),
        middleware=[sessions.middleware, rate_limit.middleware, application_rate_limit(settings).middleware],
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(environment)),
        exception_handlers={
            JuryError: jury_error_handler,
            HTTPException: http_error_handler,
            asyncpg.DataError: out_of_range_handler,
            UnicodeDecodeError: undecodable_request_handler,
            Exception: internal_error_handler,
        },
        openapi_config=OpenAPIConfig(
            title="jury",
            version=__version__,
            description="Jugement et délibération des concours des Hauts-de-Seine.",
        ),
        request_max_body_size=settings.max_upload_bytes,
        before_request=require_text_fields,  # text fields are UTF-8 without NUL, or 400 naming the field
        logging_config=None,
        debug=False,
    )
    document_error_responses(app)
    # The request log and the security headers wrap the whole application, outside Litestar's exception
    # handling: the answers it makes from its own exceptions (404, 405, the throttle's 429) are logged with
    # the status the client got and carry X-Request-ID and the headers, like every other answer.
    app.asgi_handler = request_logging_middleware(
        security_middleware_factory(https=settings.base_url.startswith("https://"))(
            after_response_middleware(app.asgi_handler)  # the audit seal once the answer left (web.deps)
        )
    )
    return app


async def _is_sign_in_attempt(request: Request) -> bool:
    """Only credential checks are throttled; scoring and browsing are never slowed down. Async on purpose:
    Litestar runs a sync check in a worker thread, a thread hop on every request."""
    return (request.method == "POST" and request.url.path in {"/connexion", "/acces"}) or (
        request.method == "GET" and request.url.path.startswith("/acces/")
    )


def _initial_state(*, settings: Settings, queries: Queries, clock: Clock):
    from litestar.datastructures import State

    return State({"settings": settings, "queries": queries, "clock": clock})
