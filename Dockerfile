# The portal's image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock --no-cache-dir .
COPY . .
# Static files the production way (DEBUG off, so manifest storage): hashed names and the
# staticfiles.json that the DEBUG-off portal looks every {% static %} up in. The key is a
# throwaway for this one command (settings refuse to load without one); it is not kept in
# the image, and each container is given its own SECRET_KEY.
RUN DEBUG=false SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput \
 && useradd --system --home /app portal && chown -R portal /app
USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
