"""[I/O] PagerDuty REST API v2: one client (`client.py`) and thin endpoint modules returning plain data."""
