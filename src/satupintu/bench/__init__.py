"""Benchmarks at Indonesian scale: synthetic data (``satupintu bench seed``) and a load run
against gunicorn on loopback (``satupintu bench run``). See docs/performance.md.

The names below are shared by the seeder and the runner: the runner signs in as these
people and reads these records, which the seeder creates at every scale.
"""

# Every synthetic person signs in with this password (hashed once, stored for all).
PASSWORD = "satupintu-bench"  # noqa: S105 (synthetic people only)
# Synthetic citizens are bench-c0000001 … ; the heavy one has HEAVY_CITIZEN_CASES cases.
CITIZEN_USERNAME = "bench-c{:07d}"
HEAVY_CITIZEN = "bench-heavy"
HEAVY_CITIZEN_CASES = 1_000
# The heavy agency holds a large share of every table; its first unit's queue is deep.
HEAVY_AGENCY = "bench-a01"
AGENCY_CODE = "bench-a{:02d}"
# An officer of the heavy agency's first unit (the deep queue) and a supervisor of the
# whole heavy agency.
OFFICER = "bench-officer"
SUPERVISOR = "bench-supervisor"
# Citizens who submit applications during the run (a pool, so that no one person's
# list grows without bound).
SUBMITTER_USERNAME = "bench-s{:04d}"
SUBMITTERS = 200
# Synthetic employees are bench-e0000001 … .
EMPLOYEE_USERNAME = "bench-e{:07d}"
