"""The baseline: a minimal Flask "hello world", served exactly like Xanh."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"
