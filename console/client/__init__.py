"""The console's HTTP client, composed per feature: `console.client.<feature>` holds that
feature's calls (orders, intake, dispatch, grab, routes, technicians, policies) on the one
`ApiCalls` base; LastmileClient (console.client.lastmile) mixes them with the connection."""

from console.client.base import ApiCalls
from console.client.lastmile import LastmileClient
from console.client.sse import SseMessage, SseParser

__all__ = ["ApiCalls", "LastmileClient", "SseMessage", "SseParser"]
