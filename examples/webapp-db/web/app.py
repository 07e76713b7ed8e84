"""The demo's web application: a page that lists and adds items and counts its visits.

Items live in PostgreSQL, the visit counter in Redis. Python's standard HTTP server plus
psycopg2 and redis (Debian packages python3-psycopg2 and python3-redis).

Routes:
  GET  /           the page
  POST /items      the page's form: adds an item, then redirects to /
  GET  /api/items  the items as JSON, newest first
  POST /api/items  adds an item from JSON {"name": "..."}; answers 201 and the item
  GET  /health     200 when PostgreSQL and Redis both answer, else 503

Configuration comes from the environment: libpq's PGHOST, PGUSER, PGPASSWORD and
PGDATABASE; REDIS_URL; PORT (default 8000).
"""

import html
import json
import os
import signal
import socket
import sys
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import psycopg2
import redis

MAX_NAME_LENGTH = 200
MAX_BODY_BYTES = 16 * 1024
PAGE_SIZE = 100

cache = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://redis:6379/0"),
                             socket_timeout=3, socket_connect_timeout=3)


@contextmanager
def database():
    """A cursor in a transaction that commits on success; the connection is closed after.

    One connection per request keeps the app simple and lets it ride out a database restart.
    """
    connection = psycopg2.connect(connect_timeout=3)  # libpq reads the PG* variables
    try:
        with connection, connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def list_items():
    with database() as cursor:
        cursor.execute("SELECT id, name, created_at FROM items ORDER BY id DESC LIMIT %s",
                       (PAGE_SIZE,))
        return [{"id": i, "name": n, "created_at": c.isoformat()} for i, n, c in cursor]


def add_item(name):
    with database() as cursor:
        cursor.execute("INSERT INTO items (name) VALUES (%s) RETURNING id, created_at", (name,))
        item_id, created_at = cursor.fetchone()
        return {"id": item_id, "name": name, "created_at": created_at.isoformat()}


def valid_name(value):
    """The trimmed name, or None when it is empty or too long."""
    name = value.strip() if isinstance(value, str) else ""
    return name if 0 < len(name) <= MAX_NAME_LENGTH else None


def render_page(items, visits):
    rows = "\n".join(
        f'      <li><span class="name">{html.escape(item["name"])}</span>'
        f' <time>{html.escape(item["created_at"][:19].replace("T", " "))}</time></li>'
        for item in items) or '      <li class="empty">No items yet: add the first one.</li>'
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>stack demo: items</title>
  <style>
    body {{ font-family: sans-serif; max-width: 40rem; margin: 0 auto; padding: 0 1rem; color: #1a202c; }}
    header {{ background: #2b6cb0; color: white; padding: 1rem 1.5rem; margin: 0 -1rem 1.5rem; }}
    h1 {{ margin: 0; font-size: 1.6rem; }}
    form {{ display: flex; gap: .5rem; margin-bottom: 1.5rem; }}
    input {{ flex: 1; padding: .5rem; font-size: 1rem; }}
    button {{ padding: .5rem 1rem; font-size: 1rem; background: #2b6cb0; color: white; border: 0; }}
    ul {{ padding-left: 1.2rem; }} li {{ margin: .3rem 0; }}
    time, footer {{ color: #718096; font-size: .85rem; }}
  </style>
</head>
<body>
  <header><h1>Items</h1></header>
  <form method="post" action="/items">
    <input name="name" maxlength="{MAX_NAME_LENGTH}" required autofocus placeholder="A new item">
    <button type="submit">Add</button>
  </form>
  <ul id="items">
{rows}
  </ul>
  <footer>
    <p id="visits">Visits: {visits}</p>
    <p>Items live in PostgreSQL (volume <code>pgdata</code>), the visit counter in Redis.
       Served by container {html.escape(socket.gethostname())}.</p>
  </footer>
</body>
</html>
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "stack-demo"

    def route(self):
        return urlsplit(self.path).path

    def do_GET(self):
        path = self.route()
        if path == "/":
            visits = cache.incr("visits")
            self.send(HTTPStatus.OK, render_page(list_items(), visits), "text/html")
        elif path == "/api/items":
            self.send_json(HTTPStatus.OK, list_items())
        elif path == "/health":
            self.health()
        else:
            self.send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})

    def do_POST(self):
        path = self.route()
        if path not in ("/items", "/api/items"):
            return self.send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})
        length = self.headers.get("Content-Length", "0")
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            return self.send_json(HTTPStatus.BAD_REQUEST,
                                  {"error": f"send a Content-Length of at most {MAX_BODY_BYTES}"})
        body = self.rfile.read(int(length)).decode("utf-8", "replace")
        if path == "/items":  # the HTML form
            name = valid_name(parse_qs(body).get("name", [""])[0])
            if name is None:
                return self.send(HTTPStatus.BAD_REQUEST, "The name must have 1 to "
                                 f"{MAX_NAME_LENGTH} characters.\n", "text/plain")
            add_item(name)
            self.send_response(HTTPStatus.SEE_OTHER)  # back to the page, as a GET
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            name = valid_name(json.loads(body).get("name"))
        except (ValueError, AttributeError):
            name = None
        if name is None:
            return self.send_json(HTTPStatus.BAD_REQUEST, {
                "error": f'send JSON {{"name": "..."}} with 1 to {MAX_NAME_LENGTH} characters'})
        self.send_json(HTTPStatus.CREATED, add_item(name))

    def health(self):
        checks = {}
        try:
            with database() as cursor:
                cursor.execute("SELECT 1 FROM items LIMIT 1")  # also proves the schema exists
            checks["postgres"] = "ok"
        except psycopg2.Error as error:
            checks["postgres"] = str(error).strip()
        try:
            cache.ping()
            checks["redis"] = "ok"
        except redis.RedisError as error:
            checks["redis"] = str(error)
        healthy = all(value == "ok" for value in checks.values())
        self.send_json(HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE, checks)

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (psycopg2.Error, redis.RedisError) as error:
            # The page needs both stores; say which one failed instead of dropping the connection.
            message = str(error).strip()
            self.log_error("%s", message)
            self.send_json(HTTPStatus.SERVICE_UNAVAILABLE, {"error": message})

    def send(self, status, text, content_type):
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status, value):
        self.send(status, json.dumps(value) + "\n", "application/json")

    def log_message(self, format, *args):
        if getattr(self, "path", "") != "/health":  # the healthcheck asks every few seconds
            super().log_message(format, *args)


def main():
    # As PID 1 in a container, Python would ignore SIGTERM: stop promptly instead.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    print(f"web: listening on port {port}", flush=True)
    with server:
        server.serve_forever()


if __name__ == "__main__":
    main()
