"""Demo data for `jury serve --demo` and `jury demo`: the three contests of the Hauts-de-Seine, each with a
decided edition and a current one, realistic enough to try every screen and every calculation.

Candidates and jurors are invented; real public figures appear only as signatories (see `people`).
"""

from jury.demo.loader import DemoSummary, EditionCounts, load_demo, load_demo_with_url

__all__ = ["DemoSummary", "EditionCounts", "load_demo", "load_demo_with_url"]
