"""End-to-end order conversion throughput on one core, against parsing the same payloads.

Run: python -m bench.intake_throughput [--orders 3000] [--batch 10] [--repeat 3] [--quick]

Demo orders (core.demo.dataset, with gifts and warranty cards added to some) are rendered into
each platform's payloads by core/demo/platforms/<name>.render, `--batch` orders per payload.
One pass reads every payload as the webhook does: adapter.records + adapter.parse, then
default_centre().convert (split, audit, placement by the real locator, classification).
The floor, in the same run: decoding each payload and walking it (json.loads or csv rows, every
value visited). Platforms without an adapter or a renderer are skipped and named; without any,
the centre alone is timed on the platform orders.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bench.common import emit_json, print_table, ratio
from core.contracts.orders import ItemIn, OrderCreate
from core.demo.catalogue import PLATFORM_WEIGHTS
from core.demo.dataset import build
from core.geo.regions import load_regions
from core.intake.catalogue import load_catalogue
from core.intake.model import Intent, Placement, PlatformLine, PlatformOrder
from core.intake.pipeline import ConversionCentre, Locates, default_centre

TARGET_PER_S = 2000
PLATFORMS = tuple(name for name, _ in PLATFORM_WEIGHTS)
TAGS = {"install": "安装", "repair": "维修", "measure": "测量", "return_visit": "回访"}
GIFT = PlatformLine("GF-MUG", "品牌马克杯（赠品）", 1, 0, gift=True)
WARRANTY = PlatformLine("VG-WARRANTY-3Y", "延保卡 3年", 1, 199_00)


@dataclass(frozen=True)
class Payload:
    platform: str
    body: bytes
    content_type: str
    orders: int


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.intake_throughput",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=3000, help="platform orders converted")
    parser.add_argument("--batch", type=int, default=10, help="orders per payload")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (best is reported)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.orders, args.repeat = 120, 1
    return args


def platform_orders(n: int, seed: int = 11) -> list[PlatformOrder]:
    """The demo's orders as platforms would send them, some with a gift or a warranty card."""
    rng = random.Random(seed)
    regions = load_regions()
    made = []
    for o in build(seed=seed, orders=n, history=False).orders:
        lines = [PlatformLine(i.sku, i.name, i.quantity, i.unit_price_fen, line_id=str(k))
                 for k, i in enumerate(o.items, start=1)]
        if rng.random() < 0.10:
            lines.append(GIFT)
        if rng.random() < 0.05:
            lines.append(WARRANTY)
        county = regions.get(o.county_adcode or "")
        made.append(PlatformOrder(
            platform=o.platform, platform_order_id=o.platform_order_id, intent=Intent.NEW,
            customer_name=o.customer_name, customer_phone=o.customer_phone, address=o.address,
            province=o.province, city=o.city, district=county.name if county else "",
            lines=tuple(lines), paid_fen=sum(ln.quantity * ln.unit_price_fen for ln in lines),
            ordered_at=datetime(2026, 5, 1, 10, tzinfo=UTC), shop="demo",
            service_tags=(TAGS[o.service_type],) if o.service_type else ()))
    return made


def own_payload(orders: Sequence[PlatformOrder]) -> tuple[bytes, str]:
    """The own shop's format (the unified OrderCreate) when no renderer exists for it."""
    body = [OrderCreate(
        platform="own", platform_order_id=o.platform_order_id, customer_name=o.customer_name,
        customer_phone=o.customer_phone, address=o.address, province=o.province, city=o.city,
        items=[ItemIn(sku=ln.sku, name=ln.name, quantity=ln.quantity,
                      unit_price_fen=ln.unit_price_fen) for ln in o.lines],
    ).model_dump(mode="json") for o in orders]
    return json.dumps(body, ensure_ascii=False).encode(), "application/json"


def renderer(name: str) -> Callable[[Sequence[PlatformOrder]], tuple[bytes, str]] | str:
    """The platform's demo renderer, or why there is none."""
    try:
        module = importlib.import_module(f"core.demo.platforms.{name}")
    except ImportError as exc:
        if name == "own":
            return own_payload
        return f"no renderer ({exc.name or exc})"
    render = getattr(module, "render", None)
    return render if callable(render) else "renderer has no render()"


def adapter_for(name: str) -> Any:
    try:
        from core.intake.adapters import get_adapter

        return get_adapter(name)
    except Exception as exc:  # a missing or half-written adapter must not stop the bench
        return f"no adapter ({type(exc).__name__}: {str(exc)[:60]})"


def payloads(orders: list[PlatformOrder], batch: int) -> tuple[list[Payload], dict[str, str]]:
    by_platform: dict[str, list[PlatformOrder]] = {}
    for o in orders:
        by_platform.setdefault(o.platform, []).append(o)
    made: list[Payload] = []
    skipped: dict[str, str] = {}
    for name in PLATFORMS:
        render, adapter = renderer(name), adapter_for(name)
        if isinstance(adapter, str) or isinstance(render, str):
            skipped[name] = adapter if isinstance(adapter, str) else str(render)
            continue
        mine = by_platform.get(name, [])
        for start in range(0, len(mine), batch):
            chunk = mine[start:start + batch]
            body, content_type = render(chunk)
            made.append(Payload(name, body, content_type, len(chunk)))
    return made, skipped


def walk(value: Any) -> int:
    """Visit every value of decoded data: the least any converter has to do."""
    if isinstance(value, dict):
        return sum(walk(v) for v in value.values()) + 1
    if isinstance(value, list):
        return sum(walk(v) for v in value) + 1
    return 1


def floor_pass(items: list[Payload]) -> None:
    for p in items:
        text = p.body.decode("utf-8-sig", errors="replace")
        if "csv" in p.content_type:
            walk(list(csv.DictReader(io.StringIO(text))))
        else:
            walk(json.loads(text))


def convert_pass(items: list[Payload], centre: ConversionCentre) -> tuple[int, int, int]:
    """Every payload as the webhook reads it: (platform orders, service orders, refused)."""
    from core.intake.adapters import get_adapter
    from core.intake.errors import PayloadRejected

    converted = services = refused = 0
    for p in items:
        adapter = get_adapter(p.platform)
        for record in adapter.records(p.body, p.content_type):
            try:
                order = adapter.parse(record)
            except PayloadRejected:
                refused += 1
                continue
            services += len(centre.convert(order).orders)
            converted += 1
    return converted, services, refused


def adapter_orders(items: list[Payload]) -> list[PlatformOrder]:
    """The adapters' share of a pass: records and parse, nothing converted."""
    from core.intake.adapters import get_adapter, read

    return [order for p in items
            for _, order in read(get_adapter(p.platform), p.body, p.content_type)
            if isinstance(order, PlatformOrder)]


def best_of(repeat: int, call: Callable[[], object]) -> float:
    """Seconds of the fastest of `repeat` runs (the least disturbed by other work)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t0)
    return best


def centre_with_placement(orders: list[PlatformOrder]) -> tuple[ConversionCentre, str]:
    centre = default_centre()
    try:
        centre.locator.locate(orders[0].address, orders[0].province, orders[0].city)
    except NotImplementedError:
        return ConversionCentre(load_catalogue(), _Unplaced()), "stub (locator not implemented)"
    return centre, "core.geo.placement"


class _Unplaced:
    def locate(self, address: str, province: str = "", city: str = "",
               district: str = "") -> Placement:
        return Placement(None)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    print(f"building {args.orders:,} demo platform orders ...", flush=True)
    orders = platform_orders(args.orders)
    items, skipped = payloads(orders, args.batch)
    for name, why in skipped.items():
        print(f"skipped {name}: {why}")
    centre, placement = centre_with_placement(orders)
    locator: Locates = centre.locator
    in_payloads = sum(p.orders for p in items)
    mode = "adapters+centre" if items else "centre only"
    if items:
        convert_pass(items, centre)  # warm caches (catalogue inference, locator)
        counts = convert_pass(items, centre)
        e2e_s = best_of(args.repeat, lambda: convert_pass(items, centre))
        floor_s = best_of(args.repeat, lambda: floor_pass(items))
        adapters_s: float | None = best_of(args.repeat, lambda: adapter_orders(items))
        n = in_payloads
    else:
        n = len(orders)
        counts = (n, sum(len(centre.convert(o).orders) for o in orders), 0)
        body, _ = own_payload(orders)
        e2e_s = best_of(args.repeat, lambda: [centre.convert(o) for o in orders])
        floor_s = best_of(args.repeat, lambda: walk(json.loads(body)))
        adapters_s = None
    # The centre's share, on the platform orders exactly as the adapters made them.
    parsed = adapter_orders(items) or orders
    convert_s = best_of(args.repeat, lambda: [centre.convert(o) for o in parsed])
    locate_s = best_of(args.repeat, lambda: [locator.locate(o.address, o.province, o.city,
                                                             o.district) for o in parsed])
    per_s = n / e2e_s
    by_platform = {name: sum(p.orders for p in items if p.platform == name)
                   for name in PLATFORMS if name not in skipped}
    rows = [
        ["end to end", f"{per_s:,.0f}", f"{e2e_s / n * 1e6:.0f}", f"{ratio(e2e_s, floor_s):.1f}"],
        ["  adapters (records + parse)", f"{n / adapters_s:,.0f}" if adapters_s else "skipped",
         f"{adapters_s / n * 1e6:.0f}" if adapters_s else "", ""],
        ["  centre.convert", f"{len(parsed) / convert_s:,.0f}",
         f"{convert_s / len(parsed) * 1e6:.0f}", ""],
        ["  placement alone", f"{len(parsed) / locate_s:,.0f}",
         f"{locate_s / len(parsed) * 1e6:.0f}", ""],
        ["floor: decode + walk", f"{n / floor_s:,.0f}", f"{floor_s / n * 1e6:.1f}", "1.0"],
    ]
    print(f"\n{n:,} platform orders ({mode}; placement: {placement}); "
          f"{counts[1]:,} service orders, {counts[2]} refused; best of {args.repeat}")
    print_table(["phase", "orders/s", "µs/order", "× floor"], rows)
    verdict = "meets" if per_s >= TARGET_PER_S else "misses"
    print(f"\n{per_s:,.0f} orders/s on one core {verdict} the {TARGET_PER_S:,}/s target "
          f"({per_s / TARGET_PER_S:.2f}×)")
    figures = {
        "bench": "intake_throughput", "mode": mode, "placement": placement, "orders": n,
        "service_orders": counts[1], "refused": counts[2], "platforms": by_platform,
        "skipped": skipped, "orders_per_s": per_s, "target_per_s": TARGET_PER_S,
        "target_ratio": per_s / TARGET_PER_S, "floor_orders_per_s": n / floor_s,
        "ratio_to_floor": ratio(e2e_s, floor_s), "convert_orders_per_s": len(parsed) / convert_s,
        "locate_orders_per_s": len(parsed) / locate_s,
        "adapter_orders_per_s": n / adapters_s if adapters_s else None,
    }
    emit_json(figures)
    return figures


if __name__ == "__main__":
    main()
