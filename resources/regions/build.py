"""Rebuild regions.csv from ../shared/data/regions (NBS 2023 divisions + cpca centre points).

Run from the repository root: python resources/regions/build.py ../shared/data/regions
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

MUNICIPALITIES = {"11", "12", "31", "50"}


def main(src: Path, out: Path) -> None:
    centres: dict[str, tuple[str, str]] = {}
    with open(src / "cpca_adcodes_with_centroids.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            centres[row["adcode"][:6]] = (row["longitude"], row["latitude"])
    rows: list[tuple[str, str, str, str, str, str]] = []
    provinces: dict[str, str] = {}
    with open(src / "chinadiv_provinces.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"] + "0000"
            provinces[row["code"]] = row["name"]
            rows.append((code, row["name"], "province", "", *centres.get(code, ("", ""))))
    city_centres: dict[str, tuple[str, str]] = {}
    with open(src / "chinadiv_cities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["code"] + "00"
            prov = row["provinceCode"]
            # NBS names a municipality's city level 市辖区; the console shows the city's own name.
            name = provinces[prov] if prov in MUNICIPALITIES else row["name"]
            centre = centres.get(code) or centres.get(prov + "0000", ("", ""))
            city_centres[code] = centre
            rows.append((code, name, "city", prov + "0000", *centre))
    with open(src / "chinadiv_areas.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            city = row["cityCode"] + "00"
            centre = centres.get(row["code"]) or city_centres.get(city, ("", ""))
            rows.append((row["code"], row["name"], "county", city, *centre))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["adcode", "name", "level", "parent", "lng", "lat"])
        w.writerows(rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).with_name("regions.csv"))
