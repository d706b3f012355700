"""Settings for `python -m bench.light`: the production settings plus one bench-only page.

The framework floor is `/bench/floor/`: a signed-in view that renders `base.html` with no
data of its own, through every middleware and context processor a real page passes. It
exists only under these settings (never in `helpdesk.urls`).
"""

from helpdesk.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
