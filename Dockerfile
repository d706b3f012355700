# The help desk image: web (gunicorn), worker and beat (celery) all run from it.
# docker-compose.yml passes every setting through the environment.

# Build stage: the locked requirements, hashes checked, into a virtualenv; psycopg2 is
# compiled here against libpq, as its maintainers advise for production.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
COPY requirements.txt .
RUN /opt/venv/bin/pip install --require-hashes --no-binary psycopg2 -r requirements.txt

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
# libpq for psycopg2 at run time; nothing to build with.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN useradd --create-home --uid 1000 helpdesk
COPY --from=build /opt/venv /opt/venv

COPY . .
# Static files are collected into the image: hashed names and gzip twins
# (WHITENOISE_USE_FINDERS=false selects the manifest storage, helpdesk/settings.py), served
# by whitenoise with a year's cache. The key and database exist only for this build step.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 WHITENOISE_USE_FINDERS=false \
    python manage.py collectstatic --noinput \
 && rm -f /tmp/build.sqlite3 \
 && mkdir -p /app/media \
 && chown helpdesk:helpdesk /app/media
ENV WHITENOISE_USE_FINDERS=false

USER helpdesk
EXPOSE 8000
# deploy/web.sh runs `manage.py check --deploy` and refuses to serve if it finds anything.
CMD ["sh", "deploy/web.sh"]
