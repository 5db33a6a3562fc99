"""The production settings plus one bare Django view, for benchmarks only.

The bare view (benchmarks/bench_urls.py) is the baseline every page is compared with: the same
gunicorn, the same middleware, the same settings, no template and no database.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
