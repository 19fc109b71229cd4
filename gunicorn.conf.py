"""gunicorn settings shared by `make serve`, the test servers and the benchmarks."""

import multiprocessing
import os

from app.ops.workers import count_worker_exit, start_counting, stop_counting

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads, not sync workers: a browser's idle pre-opened connection, or a slow client,
# then holds one thread instead of a whole worker, and keep-alive works. A client that
# sends its headers slowly holds its thread until they are complete, so there are many:
# with 4 per worker, 100 such connections cut readers' throughput to 0.36 of normal;
# with 32, to 0.87, with p99 unchanged (bench/slow_clients.py). An idle thread costs
# little; more slow clients than threads still need a buffering proxy (README).
worker_class = "gthread"
threads = int(os.environ.get("XANH_THREADS", 32))
keepalive = 5
# Load the app once, before forking: a setting that cannot work stops the server at
# once with its message, instead of every worker failing in turn.
preload_app = True
timeout = 30
# No access log of gunicorn's own: the app writes one JSON line per request (app/ops/logs.py).
accesslog = None
errorlog = "-"


# Worker restarts since start, shown by /health: a crash must not pass unseen.
def on_starting(server):
    start_counting()


def child_exit(server, worker):
    count_worker_exit(server, worker)


def on_exit(server):
    stop_counting()
