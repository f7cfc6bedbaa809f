"""The `lastmile` command: serve the backend, open the console, or run the whole demo."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from console.demo_people import DEMO_PASSWORD

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def _serve(args: argparse.Namespace) -> int:
    from core.clock import WALL_CLOCK, Clock, ScaledClock
    from core.server.launch import Companion, Setup, run_backend  # the backend only here

    clock: Clock = ScaledClock(args.speed) if args.speed != 1 else WALL_CLOCK
    setup: Setup | None = None
    companions: list[Companion] = []
    if args.demo or args.simulate:
        # The demo plugs into the server's composition root from here; the server never
        # imports it.
        from core.demo.serving import demo_inbox, demo_setup, simulator

        setup = demo_setup if args.demo else None
        if args.simulate:
            companions.append(simulator(demo_inbox(),
                                        speed=args.speed if args.speed != 1 else None))
    return run_backend(host=args.host, port=args.port, database_url=args.database_url,
                       setup=setup, companions=companions, clock=clock)


def _use_tiles(args: argparse.Namespace) -> None:
    if args.tile_url:
        os.environ["LASTMILE_TILE_URL"] = args.tile_url
        os.environ["LASTMILE_TILE_SUBDOMAINS"] = args.tile_subdomains


def _console(args: argparse.Namespace) -> int:
    _use_tiles(args)
    from console.screen import has_screen

    if not has_screen():
        print("No screen is available here, so the console cannot open a window; "
              "run it on a machine with a display, or set QT_QPA_PLATFORM=offscreen.")
        return 2
    from console.system_check import CANNOT_START_EXIT, console_can_start

    if not console_can_start():  # before Qt loads: Qt would abort naming the wrong library
        return CANNOT_START_EXIT
    from console.app import main as console_main

    return console_main(args.server, user=args.user, password=args.password)


def _demo(args: argparse.Namespace) -> int:
    _use_tiles(args)
    from console.demo import run_demo

    return run_demo(
        host=args.host, port=args.port, database_url=args.database_url,
        tour_dir=Path(args.tour) if args.tour else None, simulate=not args.no_simulator,
        speed=args.speed, tour_size=args.tour_size, tour_language=args.tour_language,
    )


def _simulate(args: argparse.Namespace) -> int:
    from core.simulation.run import main as simulate  # the backend is only imported here

    return simulate(days=args.days, orders_per_day=args.orders_per_day, seed=args.seed,
                    database_url=args.database_url,
                    policy_file=Path(args.policy) if args.policy else None,
                    dispatch_seconds=args.dispatch_seconds, fraud_share=args.fraud_share)


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 1, not {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def _sizes(text: str) -> tuple[tuple[int, int], ...]:
    """"1366x768,1920x1080" -> ((1366, 768), (1920, 1080)); one size alone is one."""
    return tuple(_size(part.strip()) for part in text.split(","))


def _size(text: str) -> tuple[int, int]:
    """"1366x768" (or 1366×768) -> (1366, 768)."""
    width, sep, height = text.lower().replace("×", "x").partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or not int(width) or not int(height):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1366x768, got {text!r}")
    return int(width), int(height)


def _add_speed_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--speed", type=_positive_float, default=1.0, metavar="N",
                   help="run the backend's clock and the demo simulator N times as fast as "
                        "the wall clock (e.g. 60: an hour of orders, deadlines and patience "
                        "in a minute); dispatch rounds come every LASTMILE_DISPATCH_SECONDS of "
                        "that clock, at most twice a real second (default %(default)s)")


def _add_backend_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default=DEFAULT_HOST,
                   help="address to listen on (default %(default)s)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help="port to listen on (default %(default)s)")
    p.add_argument("--database-url", default=None,
                   help="SQLAlchemy URL; default: $LASTMILE_DATABASE_URL, else an SQLite file "
                        "in the user's data directory")


def _add_map_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tile-url", default=os.environ.get("LASTMILE_TILE_URL"), metavar="TEMPLATE",
                   help="online map tiles under the region boundaries, as a Leaflet URL template "
                        "(GCJ-02 tiles such as AMap's or Tianditu's); default $LASTMILE_TILE_URL, "
                        "else none: the map works offline")
    p.add_argument("--tile-subdomains", default=os.environ.get("LASTMILE_TILE_SUBDOMAINS", "abc"),
                   help="values for {s} in --tile-url (default %(default)s; AMap: 1234)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lastmile",
        description="Lastmile: dispatch console for home-service orders, and its backend.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP backend (the one source of truth)",
                           description="Run the HTTP backend. Migrations are applied on start. "
                                       "Central dispatch runs every $LASTMILE_DISPATCH_SECONDS "
                                       "seconds (default 3; 0 turns it off) and soon after "
                                       "orders arrive.")
    _add_backend_options(serve)
    serve.add_argument("--demo", action="store_true",
                       help="fill an EMPTY database with the demo dataset and demo users "
                            f"(agent, supervisor, finance, admin; password '{DEMO_PASSWORD}')")
    serve.add_argument("--simulate", action="store_true",
                       help="keep demo orders arriving and technicians acting (needs --demo data)")
    _add_speed_option(serve)
    serve.set_defaults(func=_serve)

    con = sub.add_parser("console", help="open the desktop console against a backend",
                         description="Open the desktop console against a running backend.")
    con.add_argument("--server", default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}",
                     help="backend URL (default %(default)s)")
    con.add_argument("--user", default=None, help="log in as this user without the dialog")
    con.add_argument("--password", default=None, help="password for --user")
    _add_map_options(con)
    con.set_defaults(func=_console)

    demo = sub.add_parser(
        "demo", help="start backend + demo data + simulator and open the console (make run)",
        description="Start the backend on the default SQLite database with demo data and the "
                    "simulator, print the demo users, and open the console. With no screen it "
                    "says so and keeps the backend running for consoles elsewhere. With --speed "
                    "N the backend and the simulator share a clock N times as fast as the wall "
                    "clock: orders arrive, wait, lapse and escalate N times sooner.",
    )
    _add_backend_options(demo)
    demo.add_argument("--tour", metavar="DIR", default=None,
                      help="instead of staying open: log in as each demo role, save a PNG of "
                           "each workspace into DIR, and exit (works offscreen); in Chinese "
                           "it also lists in DIR/english-in-chinese.txt any English sentence a "
                           "picture shows and then exits with 5, in English it lists in "
                           "DIR/chinese-in-english.txt any Chinese among the console's own "
                           "words (buttons, tabs, titles, headers, menus; not names or "
                           "addresses) and then exits with 6")
    demo.add_argument("--tour-size", type=_sizes, default=None, metavar="WxH[,WxH...]",
                      help="the tour's window size in pixels, e.g. 1366x768 or 1920x1080 "
                           "(default: the console's own, 1400x860); several, comma apart, "
                           "photograph each picture at each size, each size's pictures in a "
                           "folder of their own (DIR/1366x768/, DIR/1920x1080/)")
    demo.add_argument("--tour-language", choices=("zh_CN", "en"), default="zh_CN",
                      help="the language the tour's console speaks (default %(default)s); a "
                           "person's saved choice (Session > Language) is left as it is")
    demo.add_argument("--no-simulator", action="store_true",
                      help="do not start the simulator")
    _add_speed_option(demo)
    _add_map_options(demo)
    demo.set_defaults(func=_demo)

    sim = sub.add_parser(
        "simulate", help="run days of orders through the backend on a simulated clock",
        description="Run simulated days through the real backend, headless and without "
                    "waiting: demo orders arrive as platform webhooks (by day mostly, a few at "
                    "night), the backend's intake and dispatcher take them, and the demo's "
                    "stand-ins act on a simulated clock that jumps from event to event: "
                    "technicians accept, refuse or let assignments lapse, claim from the grab "
                    "pool, book and do the visits; an agent works the needs-person list; the "
                    "centre does intake by hand and the desk checks; the backend's SLA "
                    "deadline scan records warnings and breaches as the clock moves, urges "
                    "them, and technicians and the supervisor answer. Starts from a fresh "
                    "database with the demo's staff, limits and calendar, and no orders. "
                    "Prints ONE JSON line on stdout at the end (orders by state, p50/p90 "
                    "seconds per step, dispatch mode shares, escalations, refusals, follow-up "
                    "calls, sla: on-time rate per step, warnings and breaches by level and "
                    "step, urges and replies; orders/s, wall seconds); logs go to stderr. The "
                    "same seed gives the same line except wall_seconds, day_seconds, "
                    "orders_per_second and seconds_by_event.",
    )
    sim.add_argument("--days", type=_positive_int, default=1,
                     help="simulated days (default %(default)s)")
    sim.add_argument("--orders-per-day", type=_positive_int, default=1000, metavar="M",
                     help="orders arriving per simulated day (default %(default)s)")
    sim.add_argument("--seed", type=int, default=7,
                     help="seed of the orders and of everyone's choices (default %(default)s)")
    sim.add_argument("--database-url", default=None,
                     help="SQLAlchemy URL of an EMPTY database to run in (e.g. PostgreSQL); "
                          "default: a fresh SQLite file in a temporary folder, removed after")
    sim.add_argument("--policy", metavar="FILE", default=None,
                     help="JSON dispatch policy body for the default scope (as PUT "
                          "/v1/dispatch/policies/ takes), set before the day starts: run one "
                          "seed with two policies to compare them")
    sim.add_argument("--dispatch-seconds", type=_positive_float, default=60.0, metavar="S",
                     help="simulated seconds between dispatch rounds (default %(default)s; "
                          "rounds also run at each acceptance deadline)")
    sim.add_argument("--fraud-share", type=_share, default=0.0, metavar="F",
                     help="share of the technicians who cheat: bookings without a real "
                          "call, check-ins from far away or without a position, recycled or "
                          "EXIF-less photos, guessed codes, copied serials (the others' "
                          "phones drift as phones do); adds "
                          '"fraud": {fraudulent_orders, flagged_fraudulent, honest_orders, '
                          "flagged_honest} to the line, counted against the simulation's own "
                          "truth (default %(default)s: none, and no fraud field)")
    sim.set_defaults(func=_simulate)

    from console.intake_cli import add_commands
    from core.fieldwork.cli_geo import add_commands as add_geo_commands
    from core.services.sla.cli import add_commands as add_sla_commands

    add_commands(sub)
    add_geo_commands(sub)
    add_sla_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:  # httpx logs every request at INFO
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
