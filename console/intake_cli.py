"""`lastmile intake convert` and `lastmile regions locate`: the conversion centre offline.

Both run the pure rules in this process (no backend): support staff check what a platform payload
becomes, operations staff check how addresses are placed, one or many at a time.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from core.contracts.intake import PlacementOut
from core.intake.adapters import get_adapter, platforms, read
from core.intake.errors import IntakeError, PayloadRejected
from core.intake.model import Placement
from core.text import BIDI_CONTROLS, LINE_SEPARATORS, inert

CSV_SUFFIXES = (".csv", ".txt")


def terminal_json(value: Any, indent: int | None = None) -> str:
    """JSON whose DEL, C1 control, bidi and line-separator characters are \\u escapes: the same
    data, but a terminal acts on none of them (json already escapes the C0 controls)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return "".join(
        f"\\u{ord(char):04x}" if (ord(char) >= 0x7F and unicodedata.category(char) == "Cc")
        or char in BIDI_CONTROLS or char in LINE_SEPARATORS else char
        for char in text)


def _content_type(path: str) -> str:
    return "text/csv" if path.lower().endswith(CSV_SUFFIXES) else "application/json"


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    return Path(path).read_bytes()


def _utf8_streams() -> None:
    """Chinese in and out whatever the terminal's locale says."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")


def convert_command(args: argparse.Namespace) -> int:
    from core.contracts.intake import to_wire
    from core.intake.pipeline import default_centre

    _utf8_streams()
    try:
        payload = _read_input(args.file)
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        adapter = get_adapter(args.platform)
        results = read(adapter, payload, args.content_type or _content_type(args.file))
    except IntakeError as exc:
        print(inert(f"{args.platform}: {exc}"), file=sys.stderr)
        return 2
    centre = default_centre()
    converted: list[dict[str, Any]] = []
    problems = []
    for record, outcome in results:
        if isinstance(outcome, PayloadRejected):
            label = f"record {record.index}" + (f" ({record.key})" if record.key else "")
            problems.append(f"{args.platform}: {label}: {outcome}")
            continue
        # Every platform id of the order, as text: a work card's trade, a task's sale too.
        ids = outcome.platform_ids()
        converted += [{**o.model_dump(mode="json"), "platform_order_ids": ids}
                      for o in to_wire(centre.convert(outcome))]
    for line in problems:
        print(inert(line), file=sys.stderr)  # problems quote platform text
    if problems and not converted:
        return 2
    sys.stdout.write(terminal_json(converted, indent=None if args.compact else 2) + "\n")
    return 1 if problems else 0


def placement_json(placement: Placement) -> dict[str, Any]:
    return PlacementOut.model_validate(placement, from_attributes=True).model_dump(mode="json")


def _hint(value: Any) -> str:
    return value if isinstance(value, str) else ""


def locate_lines(lines: Iterable[str], out: TextIO) -> int:
    """One JSON result per input line, in order; a bad line gets an error object, not a stop."""
    from core.geo.placement import default_locator

    locator = default_locator()
    failures = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            query = json.loads(line)
            if not isinstance(query, dict) or not isinstance(query.get("address"), str):
                raise ValueError("expected an object with a text 'address'")
        except ValueError as exc:
            failures += 1
            reason = "malformed JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
            result: dict[str, Any] = {"line": number, "error": reason}
        else:
            result = placement_json(locator.locate(
                query["address"], _hint(query.get("province")), _hint(query.get("city")),
                _hint(query.get("district"))))
        out.write(terminal_json(result) + "\n")
    return 1 if failures else 0


def locate_command(args: argparse.Namespace) -> int:
    _utf8_streams()
    if args.address == "-":
        if args.province or args.city or args.district:
            print("with '-' give the hints per line in the JSON, not as options", file=sys.stderr)
            return 2
        return locate_lines(sys.stdin, sys.stdout)
    from core.geo.placement import default_locator

    placement = default_locator().locate(args.address, args.province, args.city, args.district)
    print(terminal_json(placement_json(placement), indent=2))
    return 0 if placement.adcode else 1


def add_commands(sub: Any) -> None:
    """Adds `intake` and `regions` to the `lastmile` command's subcommands."""
    intake = sub.add_parser("intake", help="the order conversion centre, offline",
                            description="Work with platform payloads without a backend.")
    intake_sub = intake.add_subparsers(dest="intake_command", required=True, metavar="COMMAND")
    conv = intake_sub.add_parser(
        "convert", help="print the unified service orders a platform payload becomes",
        description="Convert a platform payload (as the platform sends it) into unified service "
                    "orders, printed as a JSON list: split by trade, audited, placed and "
                    "classified; platform_order_ids lists every platform id of each (a work "
                    "card's trade, a home-service task's sale, exactly as sent). Records that "
                    "cannot be used are named on stderr, one line each. "
                    "Exit 0: all converted; 1: some records refused; 2: nothing usable "
                    "(unreadable file, unknown platform, malformed payload).",
    )
    conv.add_argument("--platform", required=True, metavar="NAME",
                      help=f"one of: {', '.join(platforms())} (tmall: service work cards; "
                           "taobao: trades)")
    conv.add_argument("file", metavar="FILE", help="the payload file, or - for standard input")
    conv.add_argument("--content-type", default=None,
                      help="text/csv or application/json (default: from the file name)")
    conv.add_argument("--compact", action="store_true", help="one line of JSON")
    conv.set_defaults(func=convert_command)

    regions = sub.add_parser("regions", help="China's administrative regions",
                             description="Look up how addresses are placed in counties.")
    regions_sub = regions.add_subparsers(dest="regions_command", required=True, metavar="COMMAND")
    loc = regions_sub.add_parser(
        "locate", help="place an address in a county (adcode, names, coordinate, confidence)",
        description="Print where an address is, as JSON: county adcode (NBS 2023), province, "
                    "city and county names, coordinate (county centre), confidence, method and "
                    "a note. With ADDRESS '-', read JSON lines {\"address\": ..., \"province\": "
                    "..., \"city\": ..., \"district\": ...} (hints optional) from standard input "
                    "and write one JSON result per line, in order. Exit 1 when an address could "
                    "not be placed (single) or a line was malformed (bulk).",
    )
    loc.add_argument("address", metavar="ADDRESS", help="the address, or - for JSON lines")
    loc.add_argument("--province", default="", help="the province as the platform gave it")
    loc.add_argument("--city", default="", help="the city as the platform gave it")
    loc.add_argument("--district", default="", help="the district / county as given")
    loc.set_defaults(func=locate_command)
