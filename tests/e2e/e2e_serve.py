"""Run the backend on an existing database: `python e2e_serve.py DATABASE_URL PORT`."""

from __future__ import annotations

import sys

import uvicorn

from core.server.app import create_app
from core.storage.db import make_engine

if __name__ == "__main__":
    url, port = sys.argv[1], int(sys.argv[2])
    # A quick tailer poll keeps cross-process changes fast in tests.
    app = create_app(make_engine(url), poll_seconds=0.05)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
