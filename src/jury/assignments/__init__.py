"""Which jurors mark which candidates: by hand, or proposed by the solver and confirmed by an organiser."""
