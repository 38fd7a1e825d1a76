"""`jury backup` and `jury restore`: the commands of `jury.backup.service`, added to `jury.cli.main`."""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

import click

from jury.cli_options import data_dir_option, settings_or_usage_error

__all__ = ["backup", "restore"]


@click.command()
@data_dir_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier à créer pour la sauvegarde (défaut : ./jury-sauvegarde-AAAAMMJJTHHMMSSZ).",
)
@click.pass_context
def backup(ctx: click.Context, data_dir: Path | None, out_dir: Path | None) -> None:
    """Sauvegarde la base (pg_dump), les fichiers stockés et un point de contrôle d'audit, avec un manifeste
    de leurs empreintes SHA-256. La chaîne d'audit est vérifiée d'abord : une chaîne rompue n'est pas
    sauvegardée comme intègre. Le dossier contient la clé d'audit : gardez-le comme un secret."""
    from jury.audit.service import ChainBroken
    from jury.backup.service import BackupRefused, create_backup
    from jury.clock import system_clock
    from jury.runtime import database_settings, run_in_database

    settings = settings_or_usage_error(ctx, data_dir=data_dir)
    if out_dir is None:
        out_dir = Path.cwd() / f"jury-sauvegarde-{system_clock().astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    with database_settings(settings) as settings:
        try:
            manifest = asyncio.run(
                run_in_database(settings, lambda db: create_backup(settings, db, out_dir=out_dir))
            )
        except BackupRefused as exc:
            raise click.ClickException(str(exc)) from None
        except ChainBroken as exc:
            raise click.ClickException(
                f"Chaîne d'audit rompue à l'événement n° {exc.report.first_broken_id} : {exc.report.reason} "
                "(aucune sauvegarde écrite)"
            ) from None
    click.echo(f"Sauvegarde écrite : {out_dir}")
    click.echo(
        f"Base {manifest.database.bytes} octets, {len(manifest.files)} fichier(s) ; "
        f"journal d'audit : {manifest.audit_count} événement(s), dernier maillon {manifest.audit_head}"
    )


@click.command()
@click.argument("backup_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@data_dir_option
@click.pass_context
def restore(ctx: click.Context, backup_dir: Path, data_dir: Path | None) -> None:
    """Restaure une sauvegarde dans un dossier de données et une base neufs, puis vérifie la chaîne d'audit
    restaurée contre le point de contrôle de la sauvegarde (code de sortie 1 sinon)."""
    from jury.backup.service import (
        BackupRefused,
        read_manifest,
        restore_database,
        restore_files,
        verify_restored,
    )
    from jury.runtime import database_settings, run_in_database

    settings = settings_or_usage_error(ctx, data_dir=data_dir)
    try:
        manifest = read_manifest(backup_dir)  # every checksum, before anything is written
        restore_files(manifest, backup_dir=backup_dir, data_dir=settings.data_dir)
        with database_settings(settings) as settings:
            asyncio.run(restore_database(manifest, backup_dir=backup_dir, settings=settings))
            report = asyncio.run(
                run_in_database(settings, lambda db: verify_restored(db, manifest), create_audit_key=False)
            )
    except BackupRefused as exc:
        raise click.ClickException(str(exc)) from None
    if not report.ok:
        click.echo(
            f"Restauration faite, mais la chaîne d'audit ne correspond pas : {report.reason}", err=True
        )
        sys.exit(1)
    click.echo(f"Sauvegarde restaurée dans {settings.data_dir}.")
    click.echo(
        f"Chaîne d'audit intègre et conforme à la sauvegarde : {manifest.audit_count} événement(s), "
        f"dernier maillon {manifest.audit_head}"
    )
