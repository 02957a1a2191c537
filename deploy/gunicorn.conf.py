"""gunicorn settings for production and the load benchmark (README, "Production").

Sync workers behind a buffering proxy (deploy/nginx.conf): the proxy reads slow clients'
requests and writes their responses, so a worker is busy only while the app works. The
environment can override the address and the number of workers.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

from goldendreams.core.security import PRIVATE_PATHS

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core plus one: a worker waiting on PostgreSQL leaves the core to another.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
# Restart a worker now and then, so a slow leak cannot grow forever (0: never).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# Without the client's address, user agent, referrer or query string: reviewers must not be
# traceable from our logs.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = "%(m)s %(U)s %(s)s %(b)s %(M)sms"

#: Writing a review, an application or a report, and anything about a tracking code, sent
#: or merely opened: not logged at all. The log's time would say to the second when someone
#: wrote about which organisation (the pattern lives in goldendreams.core.security).


class PrivateLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if PRIVATE_PATHS.match(req.path):
            return
        super().access(resp, req, environ, request_time)


logger_class = PrivateLogger
