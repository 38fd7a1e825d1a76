"""Who is asking and what they may act on: the identity of a request, the route guards, and the one
policy deciding whether an organiser, a juror or a chair may act on a contest, an edition, a round or a
panel. Every feature asks here; none writes its own check."""
