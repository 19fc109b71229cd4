"""The WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from app.ops.startup import start

app = start()
