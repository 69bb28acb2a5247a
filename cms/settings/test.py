"""Test settings: fast hasher, local-memory cache, immediate tasks, temporary media."""

import tempfile

from .base import *  # noqa: F403
from .base import os

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-private-")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "test")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests opt in to Elasticsearch explicitly (tests/search); everything else uses the database
# search so that unrelated tests never write to a shared search server.
TEST_ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_URL = ""
