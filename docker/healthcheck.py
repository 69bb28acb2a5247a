"""Container health check: GET http://127.0.0.1:8000/healthz/ with the standard library only.

Exit 0 when the app answers 2xx, 1 otherwise (Docker's HEALTHCHECK contract).

Two production settings would otherwise make a healthy app look broken:
- ALLOWED_HOSTS: Django answers 400 to a Host it does not know, so the request carries the
  first entry of ALLOWED_HOSTS (a leading-dot wildcard loses its dot; "*" becomes localhost).
- SECURE_SSL_REDIRECT: with SECURE_PROXY_SSL_HEADER set, X-Forwarded-Proto: https marks the
  request as secure, so it is not redirected to an https:// URL nobody listens on.
"""

import os
import sys
import urllib.error
import urllib.request

URL = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz/")


def host_header() -> str:
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        if entry == "*":
            return "localhost"
        return entry.lstrip(".")
    return "localhost"


def main() -> int:
    request = urllib.request.Request(URL, headers={"Host": host_header(), "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed URL)
            status = response.status
    except urllib.error.HTTPError as exc:
        print(f"healthcheck: HTTP {exc.code} from {URL}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"healthcheck: {URL} unreachable: {exc}", file=sys.stderr)
        return 1
    if 200 <= status < 300:
        return 0
    print(f"healthcheck: HTTP {status} from {URL}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
