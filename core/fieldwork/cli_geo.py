"""`lastmile geo gcj02 LAT LNG`: the GCJ-02 position of a WGS-84 one, as one line of JSON
(`{"lat": .., "lng": ..}`, 6 decimals, about 0.1 m; positions outside China unchanged), for
support staff checking a disputed check-in against a Chinese map. Runs the rule in this process,
no backend. Exit 0: printed; 2: not a position (the reason on stderr).

`add_commands(sub)` adds `geo` to the `lastmile` command's subcommands; `main(argv)` runs it on
its own (`python -m core.fieldwork.cli_geo gcj02 39.9 116.4`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import Any

from core.fieldwork.position import wgs84_to_gcj02


def _degrees(bound: float) -> Any:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"不是数字 (not a number): {text!r}") from None
        if not (math.isfinite(value) and -bound <= value <= bound):
            raise argparse.ArgumentTypeError(f"须在 ±{bound:g} 之间 (must lie within "
                                             f"±{bound:g}): {text}")
        return value

    return parse


def gcj02_command(args: argparse.Namespace) -> int:
    lat, lng = wgs84_to_gcj02(args.lat, args.lng)
    print(json.dumps({"lat": round(lat, 6), "lng": round(lng, 6)}))
    return 0


def add_commands(sub: Any) -> None:
    """Adds `geo` (with `gcj02`) to the `lastmile` command's subcommands."""
    geo = sub.add_parser("geo", help="coordinates: WGS-84 (phones) and GCJ-02 (Chinese maps)",
                         description="Convert coordinates offline.")
    geo_sub = geo.add_subparsers(dest="geo_command", required=True, metavar="COMMAND")
    gcj = geo_sub.add_parser(
        "gcj02", help="print the GCJ-02 position of a WGS-84 one as JSON",
        description="Print the GCJ-02 position (the datum of Chinese maps and address geocodes) "
                    "of a WGS-84 position (a phone's GPS) as one line of JSON: "
                    '{"lat": .., "lng": ..}, 6 decimals. Positions outside China are printed '
                    "unchanged. Exit 2 when LAT or LNG is not a number in range.")
    gcj.add_argument("lat", metavar="LAT", type=_degrees(90.0), help="WGS-84 latitude, degrees")
    gcj.add_argument("lng", metavar="LNG", type=_degrees(180.0),
                     help="WGS-84 longitude, degrees")
    gcj.set_defaults(func=gcj02_command)


def main(argv: Sequence[str] | None = None) -> int:
    """`geo` on its own: argv as after `lastmile geo` (e.g. ["gcj02", "39.9", "116.4"])."""
    parser = argparse.ArgumentParser(prog="lastmile")
    add_commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(["geo", *(sys.argv[1:] if argv is None else argv)])
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
