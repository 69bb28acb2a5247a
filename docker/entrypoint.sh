#!/bin/sh
# Container entrypoint for the portal image.
#
# 1. When DATABASE_URL is set, wait until the database accepts connections
#    (DB_WAIT_TIMEOUT seconds, default 60; set WAIT_FOR_DB=0 to skip).
# 2. When RUN_MIGRATIONS=1, apply migrations.
# 3. exec the command (gunicorn by default), so it replaces this shell and gets the signals.
set -eu

if [ -n "${DATABASE_URL:-}" ] && [ "${WAIT_FOR_DB:-1}" = "1" ]; then
    echo "entrypoint: waiting for the database (up to ${DB_WAIT_TIMEOUT:-60}s)..."
    python -c '
import os, sys, time
import django
django.setup()
from django.db import connection
from django.db.utils import OperationalError
deadline = time.monotonic() + int(os.environ.get("DB_WAIT_TIMEOUT", "60"))
while True:
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        if time.monotonic() >= deadline:
            sys.exit("entrypoint: database still unavailable, giving up: %s" % exc)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print("entrypoint: database not ready (%s), retrying in 2s" % reason, flush=True)
        time.sleep(2)
    else:
        connection.close()
        print("entrypoint: database is up", flush=True)
        break
'
fi

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    echo "entrypoint: applying migrations"
    python manage.py migrate --noinput
fi

exec "$@"
