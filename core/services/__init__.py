"""The service layer: one handler per use case, `handler(cmd, uow) -> result`.

Handlers are the only code that loads aggregates, calls their rules and commits; they read the
time from `uow.clock` (chosen by the composition root). Routers translate HTTP to a command and
a result to a response; the simulation calls the same handlers without HTTP.
"""
