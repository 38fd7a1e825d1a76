"""What every `jury` command shares: reading the settings (a bad one is a usage error, not a traceback) and
the `--data-dir` option. Imported by `jury.cli` and by the commands that live with their service
(`jury.backup.cli`), which `jury.cli` adds to its group and so cannot import it back."""

from __future__ import annotations

from pathlib import Path

import click

from jury.log import configure_logging
from jury.settings import Settings, SettingsError, load_settings


def settings_or_usage_error(ctx: click.Context, **overrides: object) -> Settings:
    """The settings with these overrides, logging configured from them; a bad setting stops the command
    with its message (exit 2), as click does for a bad option."""
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    return settings


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier des données (PostgreSQL embarqué, fichiers). Défaut : JURY_DATA_DIR ou ~/.local/share/jury.",
)
