"""gunicorn settings for production: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Environment (LMS_ENV=production, LMS_SECRET_KEY, LMS_DATABASE_URL, ...) comes from
the systemd unit's EnvironmentFile.  Workers share nothing in memory: sessions,
throttles and jobs live in PostgreSQL, rate limits in Redis; a worker keeps only
copies: the settings for a few seconds, a trainee's pages while the page versions
read with their session stand (lms/core/kept_pages.py).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Argon2id uses ~19 MiB and a few tens of ms of CPU per sign-in; 2 workers per core is plenty.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = 2
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
# No max_requests: restarting a worker costs about a second of CPU (importing the app, building
# the password and word lists) and a cold cache, and nothing here leaks memory for it to cure.
# Set GUNICORN_MAX_REQUESTS only if a leak is ever measured.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# nginx sets X-Forwarded-*; the app trusts one proxy hop (ProxyFix in production).
forwarded_allow_ips = "127.0.0.1"
