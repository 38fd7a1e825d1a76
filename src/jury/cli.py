"""The `jury` command line: serve, migrate, load demo data, import files."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

import click
import msgspec
import structlog

from jury.cli_options import data_dir_option, settings_or_usage_error
from jury.settings import Settings

log = structlog.get_logger(__name__)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """jury — jugement et délibération des concours des Hauts-de-Seine."""


@main.command()
@data_dir_option
@click.option("--host", default=None, help="Adresse d'écoute (défaut 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port d'écoute (défaut 8000).")
@click.option("--demo", is_flag=True, help="Charger les données de démonstration (idempotent).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processus serveurs (défaut : nombre de processeurs) partageant la même base.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    data_dir: Path | None,
    host: str | None,
    port: int | None,
    demo: bool,
    workers: int | None,
) -> None:
    """Démarre le service (PostgreSQL embarqué si DATABASE_URL n'est pas défini)."""
    import os

    from jury.runtime import Terminated, terminated_on_sigterm

    settings = settings_or_usage_error(ctx, data_dir=data_dir, host=host, port=port)
    # SIGTERM (systemd, Docker, Kubernetes) is how a service is asked to stop: uvicorn shuts the app down,
    # then the signal unwinds through `database_settings`, which stops the embedded server, and the
    # process exits 0. « stopped » is logged after that, never before.
    with terminated_on_sigterm(), contextlib.suppress(Terminated):
        _serve(settings, demo=demo, workers=workers or os.cpu_count() or 1)
    log.info("stopped")


def _serve(settings: Settings, *, demo: bool, workers: int = 1) -> None:
    import uvicorn

    from jury.app import create_app
    from jury.db.audit_key import load_audit_key
    from jury.db.migrate import apply_migrations
    from jury.runtime import database_settings

    load_audit_key(settings)  # created now if missing, not by the first request
    with database_settings(settings) as settings:
        asyncio.run(apply_migrations(settings.database_url, settings.migrations_dir))
        if demo:
            _load_demo(settings)
        log.info("serving", url=settings.base_url, workers=workers)
        if workers > 1:
            from jury.runtime import serve_workers

            serve_workers(settings, workers=workers)
            return
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings),
                host=settings.host,
                port=settings.port,
                log_config=None,
                access_log=False,
                lifespan="on",
            )
        )
        # uvicorn re-raises the Ctrl-C it handled; the shutdown already happened, so it is a clean exit.
        with contextlib.suppress(KeyboardInterrupt):
            server.run()


def _load_demo(settings: Settings):
    """The demo through the CLI's one connection and transaction, with the audit key of the settings."""
    from jury.demo.loader import load_demo
    from jury.runtime import run_in_database

    return asyncio.run(run_in_database(settings, load_demo))


@main.command()
@data_dir_option
@click.pass_context
def migrate(ctx: click.Context, data_dir: Path | None) -> None:
    """Applique les migrations à DATABASE_URL ou au PostgreSQL embarqué, puis s'arrête."""
    from jury.db.migrate import MigrationError, apply_migrations
    from jury.runtime import database_settings

    settings = settings_or_usage_error(ctx, data_dir=data_dir)
    with database_settings(settings) as settings:
        try:
            applied = asyncio.run(apply_migrations(settings.database_url, settings.migrations_dir))
        except MigrationError as exc:
            click.echo(f"Erreur de migration : {exc}", err=True)
            sys.exit(1)
    click.echo(f"{len(applied)} migration(s) appliquée(s)" + (f" : {', '.join(applied)}" if applied else "."))


@main.command()
@data_dir_option
@click.pass_context
def demo(ctx: click.Context, data_dir: Path | None) -> None:
    """Charge (ou complète) les données de démonstration, sans démarrer le service."""
    from jury.db.migrate import apply_migrations
    from jury.runtime import database_settings

    settings = settings_or_usage_error(ctx, data_dir=data_dir)
    with database_settings(settings) as settings:
        asyncio.run(apply_migrations(settings.database_url, settings.migrations_dir))
        summary = _load_demo(settings)
    click.echo(msgspec.json.encode(summary).decode())


@main.command("create-organiser")
@data_dir_option
@click.option("--email", required=True, help="Adresse e-mail (identifiant de connexion).")
@click.option("--name", "full_name", required=True, help="Nom affiché.")
@click.option("--contest", "contests", multiple=True, help="Slug d'un concours organisé (répétable).")
@click.option("--admin", is_flag=True, help="Administrateur : accès à tous les concours.")
@click.password_option(help="Mot de passe (demandé si absent).")
@click.pass_context
def create_organiser(
    ctx: click.Context,
    data_dir: Path | None,
    email: str,
    full_name: str,
    contests: tuple[str, ...],
    admin: bool,
    password: str,
) -> None:
    """Crée (ou met à jour) un compte organisateur."""
    from jury.audit.service import append_event
    from jury.auth.service import create_organiser as create
    from jury.errors import JuryError
    from jury.runtime import database_settings, run_in_database

    async def work(db) -> int:
        """Who may organise what is a change of state like any other: it goes into the audit trail
        (the person's id and the contests, not the name, e-mail or password)."""
        person_id = await create(
            db,
            full_name=full_name,
            email=email,
            password=password,
            contest_slugs=list(contests),
            is_admin=admin,
        )
        await append_event(
            db,
            actor_id=None,
            actor_label="cli",
            action="organiser.upsert",
            target=f"person:{person_id}",
            payload={"contests": sorted(contests), "is_admin": admin},
        )
        return person_id

    settings = settings_or_usage_error(ctx, data_dir=data_dir)
    with database_settings(settings) as settings:
        try:
            person_id = asyncio.run(run_in_database(settings, work))
        except JuryError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"Organisateur n° {person_id} : {email}")


@main.group()
def audit() -> None:
    """Journal d'audit : vérification de la chaîne, points de contrôle."""


@audit.command("verify")
@data_dir_option
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Point de contrôle signé (jury audit checkpoint) auquel comparer la chaîne.",
)
@click.option("--expect-head", default=None, help="Dernier maillon noté ailleurs (procès-verbal…).")
@click.option(
    "--expect-count", type=click.IntRange(min=0), default=None, help="Nombre d'événements noté avec lui."
)
@click.pass_context
def audit_verify(
    ctx: click.Context,
    data_dir: Path | None,
    checkpoint_file: Path | None,
    expect_head: str | None,
    expect_count: int | None,
) -> None:
    """Recalcule toute la chaîne d'audit ; code de sortie 1 au premier maillon rompu.

    Avec --checkpoint (ou --expect-head et --expect-count), vérifie aussi que la chaîne contient toujours
    le maillon attesté à sa position : des événements supprimés en fin de chaîne ou un historique réécrit
    sont alors détectés.
    """
    from jury.audit.chain import CheckpointRefused, decode_checkpoint
    from jury.audit.service import verify, verify_against
    from jury.runtime import database_settings, run_in_database

    if (expect_head is None) != (expect_count is None):
        raise click.UsageError("--expect-head et --expect-count vont ensemble.")
    if checkpoint_file is not None and expect_head is not None:
        raise click.UsageError("--checkpoint ou --expect-head/--expect-count, pas les deux.")
    settings = settings_or_usage_error(ctx, data_dir=data_dir)

    async def check(db):
        if db.audit_key is None and checkpoint_file is not None:
            raise click.ClickException(
                "Vérifier un point de contrôle demande la clé d'audit (JURY_AUDIT_KEY ou audit.key)."
            )
        expected: dict | None = None
        if checkpoint_file is not None:
            try:
                pinned = decode_checkpoint(checkpoint_file.read_bytes(), key=db.audit_key)
            except CheckpointRefused as exc:
                raise click.ClickException(str(exc)) from None
            expected = {
                "count": pinned.count,
                "head_hash": pinned.head_hash,
                "last_event_id": pinned.last_event_id,
            }
        elif expect_head is not None:
            expected = {"count": expect_count, "head_hash": expect_head.strip().lower()}
        report = await (verify_against(db, **expected) if expected else verify(db))
        return report, expected, await db.fetchval("last_audit_hash")

    with database_settings(settings) as settings:
        # A verifier reads the key; it never creates one (a new key would fail every keyed event).
        report, expected, head = asyncio.run(run_in_database(settings, check, create_audit_key=False))
    if not report.ok:
        if report.truncated:
            click.echo(f"Chaîne incomplète : {report.reason}", err=True)
        else:
            click.echo(f"Chaîne rompue à l'événement n° {report.first_broken_id} : {report.reason}", err=True)
        sys.exit(1)
    noun = "événement vérifié" if report.checked == 1 else "événements vérifiés"
    click.echo(f"Chaîne d'audit intègre : {report.checked} {noun}.")
    if head:
        # Writing this down (in a procès-verbal, say) is what later reveals a truncated chain.
        click.echo(f"Dernier maillon : {head}")
    if expected is not None:
        click.echo(
            f"Conforme au maillon attesté : {expected['count']} événement(s), "
            f"{expected['head_hash']} toujours à sa place."
        )
    if report.unauthenticated:
        click.echo(
            f"Attention : sans clé d'audit, {report.unauthenticated} empreinte(s) n'ont pu être "
            "authentifiées (seuls leurs liens ont été suivis).",
            err=True,
        )


@audit.command("checkpoint")
@data_dir_option
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier à écrire (défaut : DATA_DIR/audit-checkpoints/AAAAMMJJTHHMMSSZ.json).",
)
@click.pass_context
def audit_checkpoint(ctx: click.Context, data_dir: Path | None, out_file: Path | None) -> None:
    """Écrit un point de contrôle signé de la chaîne d'audit (nombre, dernier n°, dernier maillon).

    Conservé hors de la base (publié, imprimé, archivé ailleurs), il permet plus tard de détecter des
    événements supprimés ou un historique réécrit : jury audit verify --checkpoint FICHIER.
    """
    import datetime as dt

    from jury.audit.chain import encode_checkpoint
    from jury.audit.service import ChainBroken, checkpoint
    from jury.runtime import database_settings, run_in_database

    settings = settings_or_usage_error(ctx, data_dir=data_dir)
    with database_settings(settings) as settings:
        try:
            pinned = asyncio.run(run_in_database(settings, checkpoint))
        except ChainBroken as exc:
            raise click.ClickException(
                f"Chaîne rompue à l'événement n° {exc.report.first_broken_id} : {exc.report.reason} "
                "(aucun point de contrôle écrit)"
            ) from None
    if out_file is None:
        stamp = pinned.created_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        out_file = settings.data_dir / "audit-checkpoints" / f"{stamp}.json"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(encode_checkpoint(pinned))
    click.echo(f"Point de contrôle écrit : {out_file}")
    click.echo(f"{pinned.count} événement(s), dernier maillon : {pinned.head_hash}")


@main.command()
@data_dir_option
@click.option("--edition", "edition_slug", required=True, help="Slug de l'édition à purger.")
@click.option("--dry-run", is_flag=True, help="Compter ce qui serait effacé, sans rien modifier.")
@click.option("--force", is_flag=True, help="Purger avant la fin de la durée de conservation.")
@click.pass_context
def purge(ctx: click.Context, data_dir: Path | None, edition_slug: str, dry_run: bool, force: bool) -> None:
    """Efface les données personnelles d'une édition dont la durée de conservation est écoulée."""

    from jury.errors import JuryError
    from jury.retention.service import edition_id_by_slug, purge_personal_data
    from jury.runtime import database_settings, run_in_database

    settings = settings_or_usage_error(ctx, data_dir=data_dir)

    async def work(db):
        edition_id = await edition_id_by_slug(db, slug=edition_slug)
        return await purge_personal_data(
            db, edition_id=edition_id, now=db.now(), force=force, dry_run=dry_run
        )

    with database_settings(settings) as settings:
        try:
            report = asyncio.run(run_in_database(settings, work))
        except JuryError as exc:
            hint = " Ajoutez --force pour passer outre." if "refusée" in exc.message else ""
            raise click.ClickException(exc.message + hint) from None
    verb = "seraient effacés" if report.dry_run else "effacés"
    simulation = " (simulation, rien n'a été modifié)" if report.dry_run else ""
    click.echo(f"Édition {report.slug}{simulation} :")
    click.echo(f"  coordonnées de candidats {verb} : {report.contacts}")
    click.echo(f"  noms de candidats non lauréats {verb} : {report.names}")
    click.echo(f"  lauréats dont le nom est conservé : {report.laureates_kept}")
    click.echo(f"  commentaires de fiches {verb} : {report.sheet_comments}")
    click.echo(f"  commentaires par critère {verb} : {report.score_comments}")
    click.echo(f"  notes de délibération {verb} : {report.notes}")
    click.echo(f"  motifs de conflit d'intérêts {verb} : {report.conflict_reasons}")
    click.echo(f"  réponses conservées pour les tablettes {verb} : {report.submissions}")
    click.echo(f"  procès-verbaux stockés {verb} : {report.minutes}")
    revoked = "seraient révoqués" if report.dry_run else "révoqués"
    click.echo(f"  codes d'accès {revoked} : {report.access_codes}")


@main.command()
@data_dir_option
@click.option("--edition", "edition_slug", required=True, help="Slug de l'édition, p. ex. progress-2023.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier où écrire un PDF par diplôme.",
)
@click.pass_context
def diplomas(ctx: click.Context, data_dir: Path | None, edition_slug: str, out_dir: Path) -> None:
    """Écrit le PDF de chaque diplôme d'une édition (délivrés d'abord si besoin)."""
    from jury.diplomas.service import export_edition
    from jury.errors import JuryError
    from jury.pdf.pool import PdfPool
    from jury.runtime import database_settings, run_in_database

    settings = settings_or_usage_error(ctx, data_dir=data_dir)
    bars: list = []

    async def on_total(total: int) -> None:
        if total:
            bars.append(click.progressbar(length=total, label="Rendu des diplômes", file=sys.stderr))
            bars[0].__enter__()

    async def on_progress(done: int, _total: int) -> None:
        bars[0].update(done - bars[0].pos)

    async def work(db):
        async with PdfPool.for_settings(settings) as pdf:
            return await export_edition(
                db,
                slug=edition_slug,
                settings=settings,
                out_dir=out_dir,
                renderer=pdf,
                on_total=on_total,
                on_progress=on_progress,
            )

    with database_settings(settings) as settings:
        try:
            written = asyncio.run(run_in_database(settings, work))
        except JuryError as exc:
            raise click.ClickException(exc.message) from None
        finally:
            for bar in bars:
                bar.__exit__(None, None, None)
    click.echo(f"{len(written)} diplôme(s) écrit(s) dans {out_dir}")


@main.command()
@click.option(
    "--render-workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processus de rendu PDF de ce worker (défaut : JURY_RENDER_WORKERS).",
)
@click.pass_context
def worker(ctx: click.Context, render_workers: int | None) -> None:
    """Traite les lots de diplômes et les procès-verbaux mis en file (PostgreSQL, DATABASE_URL requis)."""
    import signal

    from jury.worker import run_worker

    settings = settings_or_usage_error(ctx, render_workers=render_workers)
    if not settings.database_url:
        raise click.UsageError(
            "jury worker a besoin de DATABASE_URL : il partage la base des serveurs `jury serve` "
            "(avec la base embarquée, `jury serve` traite lui-même les tâches)."
        )

    async def main_loop() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await run_worker(settings, stop=stop)

    log.info("worker starting", render_workers=settings.render_workers)
    asyncio.run(main_loop())
    log.info("worker stopped")


from jury.backup.cli import backup, restore  # noqa: E402 (the commands live with their service)

main.add_command(backup)
main.add_command(restore)
