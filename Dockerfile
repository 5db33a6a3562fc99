# Production image: gunicorn serving Django, WeasyPrint's libraries and fonts, a non-root user.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_DEBUG=false

# Pango/HarfBuzz for WeasyPrint, DejaVu so PDFs render the same everywhere,
# gettext to compile the translations at build time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 app
WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
COPY config ./config
COPY advisor ./advisor
RUN pip install .

COPY . .
# A throwaway key: these commands need settings, not secrets.
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv -v0 \
 && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
 && mkdir -p /app/var/media && chown -R app:app /app/var

USER app
EXPOSE 8000
# Run `python manage.py migrate` once per release before starting new containers.
# Workers, timeouts, limits and the redacted access log are set in gunicorn.conf.py.
CMD ["gunicorn", "config.wsgi"]
