"""One-shot schema migration, run by the `migrate` service before `web` starts.

Applies, in order, each migration the database has not recorded yet, each in its own
transaction, then exits 0. Running it again changes nothing. Connects with libpq's PG*
environment variables, like the app.
"""

import sys

import psycopg2

# Append new migrations at the end; never edit one that has been applied.
MIGRATIONS = [
    (1, "create items", """
        CREATE TABLE items (
            id         bigserial PRIMARY KEY,
            name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            created_at timestamptz NOT NULL DEFAULT now()
        )"""),
]
LOCK_KEY = 20240801  # an advisory lock, so that two migrators never interleave


def migrate(connection):
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        cursor.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                              version    integer PRIMARY KEY,
                              name       text NOT NULL,
                              applied_at timestamptz NOT NULL DEFAULT now())""")
    applied = 0
    for version, name, statement in MIGRATIONS:
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM schema_migrations WHERE version = %s", (version,))
            if cursor.fetchone():
                continue
            cursor.execute(statement)
            cursor.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                           (version, name))
            print(f"migrate: applied {version} ({name})")
            applied += 1
    print(f"migrate: schema at version {MIGRATIONS[-1][0]}; {applied} applied now")


def main():
    try:
        connection = psycopg2.connect(connect_timeout=10)
    except psycopg2.Error as error:
        sys.exit(f"migrate: cannot connect to PostgreSQL: {str(error).strip()}")
    try:
        migrate(connection)
    except psycopg2.Error as error:
        sys.exit(f"migrate: failed: {str(error).strip()}")
    finally:
        connection.close()


if __name__ == "__main__":
    main()
