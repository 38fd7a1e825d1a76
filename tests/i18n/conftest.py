"""The scoring tests' small edition, servers and browser, reused for the juror pages in English."""

from tests.scoring.conftest import browser, edition, server  # noqa: F401
