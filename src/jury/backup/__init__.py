"""Backups an organiser can trust: `jury backup` and `jury restore` (see `jury.backup.service`)."""
