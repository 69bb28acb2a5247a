"""Settings of the benchmarks only: the dev settings plus the benchmark-only ``flatbench`` app.

``DEBUG`` is switched off so that Django does not keep a log of every query while the
benchmarks measure time and peak memory (production runs with ``DEBUG = False`` too).
"""

from cms.settings.dev import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.flatbench"]  # noqa: F405
DEBUG = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
