"""The console's log: one line per HTTP request only with --verbose."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from console.app import quiet_http_logs

HTTP_LOGGERS = ("httpx", "httpcore")


@pytest.fixture(autouse=True)
def _restore_levels() -> Iterator[None]:
    root = logging.getLogger()
    saved = [root.level] + [logging.getLogger(n).level for n in HTTP_LOGGERS]
    yield
    root.setLevel(saved[0])
    for name, level in zip(HTTP_LOGGERS, saved[1:], strict=True):
        logging.getLogger(name).setLevel(level)


def test_requests_are_not_logged_at_info() -> None:
    logging.getLogger().setLevel(logging.INFO)

    quiet_http_logs()

    assert all(not logging.getLogger(n).isEnabledFor(logging.INFO) for n in HTTP_LOGGERS)
    assert all(logging.getLogger(n).isEnabledFor(logging.WARNING) for n in HTTP_LOGGERS)


@pytest.mark.parametrize("verbose", [True, None])
def test_verbose_keeps_the_requests(verbose: bool | None) -> None:
    logging.getLogger().setLevel(logging.DEBUG)  # what `lastmile -v` sets

    quiet_http_logs(verbose)

    assert all(logging.getLogger(n).isEnabledFor(logging.DEBUG) for n in HTTP_LOGGERS)
