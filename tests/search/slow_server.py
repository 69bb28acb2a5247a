"""A stand-in Elasticsearch server on a loopback port that answers slowly, for timeout tests.

It speaks just enough of the protocol for ``ElasticsearchBackend``: the ping, index creation,
bulk writes, refresh, aliases, deletes and searches (always empty). Searches wait
``search_delay`` seconds and bulk requests ``bulk_delay`` seconds before answering, so a test
can show which client timeout each kind of request runs under, without a real server.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMPTY_SEARCH = {
    "took": 1,
    "timed_out": False,
    "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
    "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
}


class SlowServer:
    """``with SlowServer(search_delay=5) as server: ... server.url``; ``server.requests`` lists
    ``(method, path)`` of what it was sent (paths without their query string)."""

    def __init__(self, *, search_delay: float = 0.0, bulk_delay: float = 0.0):
        self.search_delay, self.bulk_delay = search_delay, bulk_delay
        self.requests: list[tuple[str, str]] = []
        self.bulk_documents = 0
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"

    def __enter__(self):
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._stop.set()  # wakes the handlers still waiting
        self._httpd.shutdown()
        self._httpd.server_close()

    def _answer(self, method: str, path: str, body: bytes) -> tuple[int, dict | None]:
        route = path.split("?")[0]
        self.requests.append((method, route))
        if route == "/" and method == "HEAD":
            return 200, None
        if route.endswith("/_search"):
            self._stop.wait(self.search_delay)
            return 200, {**EMPTY_SEARCH, "aggregations": {}}
        if route.endswith("/_bulk"):
            self._stop.wait(self.bulk_delay)
            items = []
            lines = iter(line for line in body.decode().splitlines() if line.strip())
            for line in lines:
                op, meta = next(iter(json.loads(line).items()))
                if op != "delete":
                    next(lines)  # the document
                items.append({op: {"_index": meta.get("_index", ""), "_id": meta.get("_id", ""), "status": 201}})
            self.bulk_documents += len(items)
            return 200, {"took": 1, "errors": False, "items": items}
        if route.startswith("/_alias/") and method == "HEAD":
            return 404, None  # no alias yet
        return 200, {"acknowledged": True}

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _respond(self):
                length = int(self.headers.get("Content-Length") or 0)
                status, payload = server._answer(self.command, self.path, self.rfile.read(length))
                data = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    try:
                        self.wfile.write(data)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up (its timeout): that is the point

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _respond

            def log_message(self, *args):
                pass

        return Handler
