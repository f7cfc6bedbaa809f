"""`lastmile demo --tour DIR --tour-size WxH[,WxH] --tour-language zh_CN|en` (issue 13)."""

from __future__ import annotations

import pytest

from console.cli import build_parser
from ui.main_window import DEFAULT_SIZE


def test_the_tour_takes_a_size_and_a_language() -> None:
    args = build_parser().parse_args(
        ["demo", "--tour", "d", "--tour-size", "1920x1080", "--tour-language", "en"])

    assert (args.tour_size, args.tour_language) == (((1920, 1080),), "en")
    assert build_parser().parse_args(["demo", "--tour-size", "1366×768"]).tour_size == (
        (1366, 768),)


def test_the_tour_takes_several_sizes_comma_apart() -> None:
    args = build_parser().parse_args(["demo", "--tour", "d", "--tour-size", "1366x768,1920x1080"])

    assert args.tour_size == ((1366, 768), (1920, 1080))


def test_by_default_the_tour_speaks_chinese_at_the_consoles_own_size(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = build_parser().parse_args(["demo", "--tour", "d"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--help"])

    assert (args.tour_size, args.tour_language) == (None, "zh_CN")
    # The help names the size the console opens at.
    assert f"{DEFAULT_SIZE.width()}x{DEFAULT_SIZE.height()}" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["1366", "0x768", "1366x", "axb", "1366x768x2", "1366x768,"])
def test_a_size_that_is_not_width_x_height_is_refused(
    bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--tour-size", bad])

    assert "--tour-size" in capsys.readouterr().err


def test_a_language_other_than_the_two_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--tour-language", "fr"])

    assert "--tour-language" in capsys.readouterr().err
