"""One candidate at a time: added, corrected, withdrawn, accepted despite a rule, by organisers."""
