"""The backend on an existing, migrated database: `python -m bench.serve DATABASE_URL PORT`."""

from __future__ import annotations

import sys

import uvicorn

from core.server.app import create_app
from core.storage.db import make_engine

if __name__ == "__main__":
    url, port = sys.argv[1], int(sys.argv[2])
    # The production app with the feed tailer at its default poll (the e2e tests shorten it;
    # a benchmark must not), without access logging, which would time the logger too.
    app = create_app(make_engine(url))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
