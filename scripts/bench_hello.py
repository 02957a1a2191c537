"""The framework's ceiling for the load benchmark: one Flask view, no database, no template,
served by the same gunicorn settings as the site (scripts/bench_load.py starts it)."""

from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello():
    return "Hello"
