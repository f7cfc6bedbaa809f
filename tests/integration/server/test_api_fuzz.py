"""Schemathesis against the whole API: no generated request, however odd, is a server error.

Before issue 9 it found three kinds of 500 (or a 503 wrongly saying the database was down):
ids and numbers beyond 64 bits, forged queue cursors and a NUL in a search. The schema comes
from the app itself, the database is the seeded demo world, and every request carries an
admin's token. Each operation gets a few derandomised examples that fit its schema and a few
that break it, so the run is repeatable and takes seconds.

(Schemathesis's `from_fixture` loader reads a pytest attribute that pytest 9 no longer has, so
the operations are driven from here with the same strategies and check.)
"""

from __future__ import annotations

from collections.abc import Callable

import schemathesis
from api_tokens import token_login
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from sqlalchemy import Engine

from core.demo.dataset import DemoDataset
from core.demo.seed import seed_demo
from core.server.app import create_app

EXAMPLES = 5
# The live stream never ends; signing out would end the run's own token.
SKIPPED = ("/v1/changes/stream", "/v1/auth/logout")


def test_no_generated_request_is_a_server_error(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    seed_demo(engine, make_dataset())
    app = create_app(engine, poll_seconds=3600)
    headers = token_login(engine)("admin")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in SKIPPED:
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def probe(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers, checks=[not_a_server_error])

            try:
                probe()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing in it that could be wrong
            except (Exception, FailureGroup) as exc:  # a 5xx, or an error the client re-raised
                failures[f"{operation.label} ({mode.value})"] = f"{exc!r}"[:600]
    assert operations > 40  # the whole API was reached, not a filtered few
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
