# The production shape of Big I: the app under gunicorn, static files served by WhiteNoise.
FROM python:3.11-slim-bookworm

# WeasyPrint draws PDFs with pango and harfbuzz; fonts for the text in them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt

COPY . .
# collectstatic needs some key; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input

RUN useradd --create-home bigi
USER bigi
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && exec gunicorn config.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --access-logfile -"]
