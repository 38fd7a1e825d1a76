"""Which jurors mark which candidates: by hand, or proposed by the solver and confirmed by an organiser.

Pure: `solver` (with `solver_models`, `solver_problem`, `solver_report`) proposes a plan from ids and zones;
`round_state` describes a round's assignments and checks hand edits; `planning` turns a round into solver
input and the plan back into rows; `models` holds what the API and pages exchange; `wording` French counts.
`service` reads and writes the database and audits; `web` serves the pages and the JSON API.
"""
