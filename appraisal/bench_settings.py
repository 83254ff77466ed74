"""Settings for `make bench-pages` only: production settings plus the floor view's URL.

The floor view (appraisal.bench_urls) answers with one query behind the same middleware as
every page, so a page's requests/s and p95 can be read as ratios to it, measured in the same
run on the same machine. Production URLs (appraisal.urls) do not have it.
"""

from appraisal.settings import *  # noqa: F403

ROOT_URLCONF = "appraisal.bench_urls"
# The benchmark counts each page's queries with Django's test client ("testserver").
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
