"""French typography for dates, amounts and ordinals, written once for every part of the service.

Pure functions only (no web framework, no database, no files), so that the domain, the services, the
PDF renderer and the Jinja filters of the pages can all depend on it without depending on each other.
"""
