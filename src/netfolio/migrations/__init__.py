"""Alembic revisions, shipped inside the package and run by netfolio itself (`netfolio db upgrade`).

``HEAD`` names the newest revision, so that opening a database can tell in one query
whether it needs upgrading without importing Alembic; a test checks it against the scripts.
"""

HEAD = "0011"
