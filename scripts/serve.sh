#!/usr/bin/env bash
# `make serve` and `make createsuperuser`: Student Records with the production settings,
# on data of its own, safe to point at real records.
#
#   bash scripts/serve.sh run                 # migrate, collect static files, check, gunicorn on 127.0.0.1:$PORT
#   bash scripts/serve.sh manage COMMAND ...  # any manage.py command on the same data (createsuperuser, ...)
#
# - Its database is DATABASE_URL, or else an SQLite file of its own in the state
#   folder: never the db.sqlite3 that `make run` seeds with demo accounts.
# - Its SECRET_KEY is the environment's, or else one generated once into the state
#   folder (mode 0600, outside the repository): sessions and reset links survive restarts.
# - It refuses to start while any demo account still has its published password
#   (`manage.py check --deploy`, accounts.E001).
# The state folder is STUDENT_RECORDS_HOME, by default ~/.local/share/student-records.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
state=${STUDENT_RECORDS_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/student-records}
mkdir -p "$state"
chmod 700 "$state"

if [[ -z ${SECRET_KEY:-} ]]; then
    key_file=$state/secret_key
    if [[ ! -s $key_file ]]; then
        (umask 077 && "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$key_file")
    fi
    SECRET_KEY=$(< "$key_file")
fi
export SECRET_KEY
export DJANGO_SETTINGS_MODULE=project.settings.production
export DATABASE_URL=${DATABASE_URL:-sqlite:///$state/serve.sqlite3}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
# Plain HTTP on the loopback: no redirect to HTTPS, cookies without the Secure flag.
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false} SECURE_COOKIES=${SECURE_COOKIES:-false}

case ${1:-run} in
    run)
        "$PYTHON" manage.py migrate --no-input -v 0
        "$PYTHON" manage.py collectstatic --no-input -v 0
        "$PYTHON" manage.py check --deploy --database default --fail-level ERROR
        # Threads beside processes: a request waiting on a password hash or the database
        # leaves its worker's other threads serving (hashing and I/O release the GIL).
        exec "$(dirname "$PYTHON")/gunicorn" project.wsgi:application --bind "127.0.0.1:${PORT:-8000}" \
            --workers "${WORKERS:-3}" --worker-class gthread --threads "${THREADS:-4}" --access-logfile -
        ;;
    manage)
        shift
        "$PYTHON" manage.py migrate --no-input -v 0
        exec "$PYTHON" manage.py "$@"
        ;;
    *)
        echo "usage: bash scripts/serve.sh run | manage COMMAND ..." >&2
        exit 2
        ;;
esac
