#!/bin/sh
# The web service: refuse to serve a configuration `check --deploy` finds fault with
# (and settings refuse .env.example's change-me placeholders), then gunicorn, logging
# every request to stdout. Reachable only from the Caddy proxy in docker-compose.
set -eu
python manage.py check --deploy --fail-level WARNING
exec gunicorn helpdesk.wsgi:application \
    --bind 0.0.0.0:8000 \
    --workers "${WEB_WORKERS:-3}" \
    --timeout 30 \
    --access-logfile - \
    --error-logfile - \
    --access-logformat '%(t)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
