"""Settings from the environment: each kind of value parsed, and a bad value named with its variable."""

from __future__ import annotations

import pytest

from jury.settings import SettingsError, load_settings


def test_job_settings_have_defaults_fit_for_one_machine() -> None:
    settings = load_settings({})
    assert settings.in_process_jobs is True
    assert settings.job_heartbeat_seconds == 30.0
    assert settings.minutes_wait_seconds == 20.0


def test_job_settings_are_read_from_the_environment() -> None:
    settings = load_settings(
        {
            "JURY_IN_PROCESS_JOBS": "false",
            "JURY_JOB_HEARTBEAT_SECONDS": "2.5",
            "JURY_MINUTES_WAIT_SECONDS": "1",
        }
    )
    assert (settings.in_process_jobs, settings.job_heartbeat_seconds, settings.minutes_wait_seconds) == (
        False,
        2.5,
        1.0,
    )


@pytest.mark.parametrize("raw", ["0", "-3", "bientôt", "nan"])
def test_a_duration_must_be_a_positive_number_of_seconds(raw: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"JURY_JOB_HEARTBEAT_SECONDS": raw})
    assert (
        str(refused.value)
        == f"JURY_JOB_HEARTBEAT_SECONDS: expected a positive number of seconds, got {raw!r}"
    )


def test_a_flag_must_be_true_or_false() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"JURY_IN_PROCESS_JOBS": "peut-être"})
    assert str(refused.value) == "JURY_IN_PROCESS_JOBS: expected true or false, got 'peut-être'"


def test_the_audit_key_is_read_from_the_environment_and_must_be_long_enough() -> None:
    assert load_settings({}).audit_key == ""
    assert load_settings({"JURY_AUDIT_KEY": "k" * 32}).audit_key == "k" * 32
    with pytest.raises(SettingsError) as refused:
        load_settings({"JURY_AUDIT_KEY": "court"})
    assert str(refused.value) == "JURY_AUDIT_KEY: expected at least 32 characters"


def test_without_a_setting_the_audit_key_file_is_created_once_private(tmp_path) -> None:
    import stat

    from jury.db.audit_key import load_audit_key

    settings = load_settings({}, data_dir=tmp_path / "data")
    assert load_audit_key(settings, create=False) is None
    key = load_audit_key(settings)
    path = tmp_path / "data" / "audit.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key is not None and len(key) == 64 and load_audit_key(settings) == key
    assert (
        load_audit_key(load_settings({"JURY_AUDIT_KEY": "e" * 40}, data_dir=tmp_path / "data")) == b"e" * 40
    )
