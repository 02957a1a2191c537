#!/usr/bin/env bash
# Install Golden Dreams and start it on its embedded defaults: SQLite in instance/, the demo
# data, the development server on http://127.0.0.1:5000 (HOST and PORT change that) and the
# task queue's worker beside it (queue in instance/queue.db, e-mails in instance/mail/).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step says what it does first: installing takes about a minute without other output.
say() { printf '==> %s\n' "$*"; }

say "Installing Golden Dreams and its packages into .venv (about a minute the first time)..."
scripts/setup.sh

mkdir -p instance
if [ ! -f instance/config.py ]; then
    say "Writing instance/config.py with a secret key of its own..."
    # A secret key of its own for this machine; plain http is fine on one's own computer.
    .venv/bin/python - > instance/config.py <<'PY'
import secrets
print(f"SECRET_KEY = {secrets.token_hex(32)!r}")
print(f"TRACKING_KEY = {secrets.token_hex(32)!r}  # never change: codes depend on it")
print("SESSION_COOKIE_SECURE = False  # local http; remove behind https")
PY
fi

flask=.venv/bin/flask
say "Creating or updating the database (instance/)..."
$flask --app goldendreams db upgrade
say "Loading the fictional demo data..."
$flask --app goldendreams demo
say "Building the search index..."
$flask --app goldendreams search reindex
# The queue's worker (e-mail, daily work) beside the development server, on the queue file
# in instance/; it stops when this script ends, however it ends.
say "Starting the queue's worker (flask worker) in the background..."
$flask --app goldendreams worker &
worker=$!
server=""
# Whatever ends the script (Ctrl+C, kill, the server stopping), both processes go with it.
stop() { kill $worker $server 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM
mail_folder=$(.venv/bin/python - <<'PY'
from goldendreams import create_app
from goldendreams.core import mail

app = create_app()
with app.app_context():
    print("" if app.config["MAIL_SERVER"] else mail.mail_folder())
PY
)
if [ -n "$mail_folder" ]; then
    say "No mail server set (GOLDENDREAMS_MAIL_SERVER): e-mails are written to $mail_folder/"
fi
say "Starting the site on http://${HOST:-127.0.0.1}:${PORT:-5000} (Ctrl+C stops it and the worker)"
$flask --app goldendreams run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}" &
server=$!
wait $server
