"""Personal-data retention: blank what an ended edition no longer needs, keep what stays public."""
