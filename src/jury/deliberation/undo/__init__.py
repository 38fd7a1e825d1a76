"""Decisions with a way back: undoing an advancement, a prize or a grant with a written reason."""
