"""gunicorn settings for production and the load benchmark (README, "Production").

Sync workers behind a buffering proxy (deploy/nginx.conf): the proxy reads slow clients'
requests and writes their responses, so a worker is busy only while the app works. The
environment can override the address and the number of workers.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core plus one: a worker waiting on PostgreSQL leaves the core to another.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
# Restart a worker now and then, so a slow leak cannot grow forever.
max_requests = 5000
max_requests_jitter = 500
# Without the client's address, user agent, referrer or query string: reviewers must not be
# traceable from our logs.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = "%(m)s %(U)s %(s)s %(b)s %(M)sms"
