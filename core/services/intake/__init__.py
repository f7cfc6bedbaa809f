"""The intake feature's use cases: platform payloads in, later messages, dead letters, reviews.

    commands.py  the typed commands (frozen dataclasses)
    ingest.py    handle_ingest / handle_ingest_records / handle_keep_unusable: every record in
                 a transaction of its own, stored with its raw bytes and outcome
    webhook.py   handle_webhook (signature, freshness, then ingest), handle_preview (dry run)
    new.py       a NEW platform order: re-sent, refused, joined, merged or created
    changes.py   a platform's later update, cancel or refund (rules: core.intake.changes)
    steps.py     the automatic audit, place and classify of an intake order
    messages.py  handle_retry / handle_discard of a dead letter
    reviews.py   handle_decide_review: an agent's approve or reject of a held order

Each handler takes `(cmd, uow)`, reads the time from `uow.clock` and commits; the server, the
poller and the simulation call the same handlers.
"""
