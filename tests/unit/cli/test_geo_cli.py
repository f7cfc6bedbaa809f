"""`lastmile geo gcj02 LAT LNG` through the console's own command line."""

from __future__ import annotations

import json

import pytest

from console.cli import main


def test_geo_gcj02_prints_the_converted_position_as_one_json_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "gcj02", "39.915", "116.404"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    # wandergis/coordtransform's README: wgs84togcj02(116.404, 39.915)
    assert json.loads(out) == {"lat": 39.916404, "lng": 116.410244}


def test_geo_gcj02_leaves_a_position_outside_china_unchanged(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "gcj02", "37.5665", "126.978"]) == 0  # Seoul
    assert json.loads(capsys.readouterr().out) == {"lat": 37.5665, "lng": 126.978}


def test_geo_gcj02_refuses_a_latitude_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["geo", "gcj02", "91", "0"])
    assert exited.value.code == 2
    assert "±90" in capsys.readouterr().err
