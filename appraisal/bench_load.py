"""The load generator of `make bench-pages`, run in its own process:

    python -m appraisal.bench_load URL COOKIE CONNECTIONS SECONDS MIN_REQUESTS

CONNECTIONS threads each keep one HTTP/1.1 connection and send GET requests back to back
until SECONDS have passed and at least MIN_REQUESTS answers came back (a slow page on a busy
machine still gets enough samples for its p95). Prints one JSON line: requests, seconds,
p95_ms, errors (answers other than 200). Standard library only: nothing of Django is loaded.
"""

import http.client
import json
import sys
import threading
import time
import urllib.parse


def _worker(url, cookie, stop, lock, latencies, errors) -> None:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    while not stop():
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
            ok = False
        with lock:
            latencies.append(time.perf_counter() - started)
            errors[0] += not ok
    connection.close()


def run(url: str, cookie: str, connections: int, seconds: float, min_requests: int) -> dict:
    lock, latencies, errors = threading.Lock(), [], [0]
    started = time.perf_counter()

    def stop() -> bool:
        with lock:
            return time.perf_counter() - started >= seconds and len(latencies) >= min_requests

    threads = [threading.Thread(target=_worker, args=(url, cookie, stop, lock, latencies, errors))
               for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0
    return {"requests": len(latencies), "seconds": elapsed, "p95_ms": p95 * 1000, "errors": errors[0]}


if __name__ == "__main__":
    url, cookie, connections, seconds, min_requests = sys.argv[1:6]
    print(json.dumps(run(url, cookie, int(connections), float(seconds), int(min_requests))))
