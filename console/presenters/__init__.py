"""Presenters: QObjects that turn what the user does into API calls and back into views; one
package per feature (orders, intake, dispatch, grab, routes, policies, technicians, session).
`messages` (the one route for user-facing messages) and `tasks` (coroutines, polling, dialogs)
serve them all."""
