"""Region policies: every bad setting names its field; fields inherit county -> default."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.dispatch.policy import (
    DEFAULT_SCOPE,
    ESCALATE_CHOICES,
    FIELD_NAMES,
    PolicyError,
    RegionPolicy,
    Stage,
    Weights,
    effective,
    parse_body,
    point_keys,
    scope_chain,
    scope_level,
)
from core.orders.lifecycle import DispatchMode

COUNTY, CITY, PROVINCE = "110105", "110100", "110000"


def test_the_built_in_policy_round_trips_through_its_body() -> None:
    body = RegionPolicy().to_body()

    parsed = parse_body(body)

    assert set(parsed) == set(FIELD_NAMES)
    assert RegionPolicy(**parsed) == RegionPolicy()


def test_a_full_body_is_parsed_into_typed_fields() -> None:
    parsed = parse_body({
        "stages": [{"mode": "grab", "minutes": 30}, {"mode": "manual", "minutes": None}],
        "point_shares": {"bj-cy": 60, "bj-hd": 40},
        "point_capacity": {"bj-cy": 80},
        "required_skills": {"install": ["空调", " 空调 ", "高空"]},
        "required_qualifications": {"repair": ["电工证"]},
        "escalate": ["vip", "urgent"],
        "weights": {"distance": 70},
        "grab_floor_fen": 5000,
    })

    assert parsed["stages"] == (Stage(DispatchMode.GRAB, 30), Stage(DispatchMode.MANUAL))
    assert parsed["point_shares"] == {"bj-cy": 60, "bj-hd": 40}
    assert parsed["required_skills"] == {"install": ("空调", "高空")}  # trimmed, once each
    assert parsed["escalate"] == frozenset({"vip", "urgent"})
    assert parsed["weights"] == Weights(distance=70)  # goals left out keep the built-in weight


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"colour": "red"}, "colour", "不是派单策略的设置项"),
    ({"stages": []}, "stages", "至少需要一种派单方式"),
    ({"stages": "auto"}, "stages", "应为列表"),
    ({"stages": [{"mode": "auto", "minutes": 5}]}, "stages", "最后一步必须是人工派单"),
    ({"stages": [{"mode": "fax"}, {"mode": "manual"}]}, "stages", "未知的派单方式"),
    ({"stages": [{"mode": "auto"}, {"mode": "manual"}]}, "stages.minutes", "需要设定时长"),
    ({"stages": [{"mode": "auto", "minutes": 0}, {"mode": "manual"}]}, "stages.minutes", "1 到"),
    ({"stages": [{"mode": "manual", "minutes": 10}]}, "stages.minutes", "不设时限"),
    ({"stages": [{"mode": "auto", "minutes": 5}, {"mode": "auto", "minutes": 5},
                 {"mode": "manual"}]}, "stages", "只能出现一次"),
    ({"stages": [{"mode": "auto", "minutes": 5, "x": 1}, {"mode": "manual"}]}, "stages", "每一步"),
    ({"point_shares": {"a": 60, "b": 30}}, "point_shares", "合计 90%"),
    ({"point_shares": {"a": 101}}, "point_shares.a", "0 到 100"),
    ({"point_shares": {"a": 50.5, "b": 49.5}}, "point_shares.a", "整数"),
    ({"point_shares": {"": 100}}, "point_shares", "键不能为空"),
    ({"point_shares": [1, 2]}, "point_shares", "应为对象"),
    ({"point_capacity": {"a": -1}}, "point_capacity.a", "0 到 100000"),
    ({"required_skills": {"paint": ["x"]}}, "required_skills", "不是服务类型"),
    ({"required_skills": {"install": "空调"}}, "required_skills.install", "应为列表"),
    ({"required_qualifications": {"repair": [""]}}, "required_qualifications.repair", "不能为空"),
    ({"required_qualifications": {"repair": [3]}}, "required_qualifications.repair", "名称列表"),
    ({"max_distance_km": 2001}, "max_distance_km", "0 到 2000"),
    ({"max_distance_km": True}, "max_distance_km", "整数"),
    ({"accept_minutes": 0}, "accept_minutes", "1 到"),
    ({"max_refusals": "2"}, "max_refusals", "整数"),
    ({"grab_floor_fen": -100}, "grab_floor_fen", "0 到"),
    ({"escalate": ["vip", "weather"]}, "escalate", "weather"),
    ({"weights": {"speed": 10}}, "weights", "未知的目标"),
    ({"weights": {"load": 101}}, "weights.load", "0 到 100"),
    ({"weights": dict.fromkeys(("distance", "load", "rating", "sla", "ratio"), 0)}, "weights",
     "大于 0"),
])
def test_a_bad_setting_is_refused_naming_its_field(body: dict[str, Any], field: str,
                                                   words: str) -> None:
    with pytest.raises(PolicyError) as refused:
        parse_body(body)

    assert refused.value.field == field
    assert words in refused.value.message
    chinese, english = refused.value.message.split(" (", 1)  # 中文 (English)
    assert chinese and english.endswith(")") and "（" not in english


def test_the_default_policy_escalates_every_reason_and_ends_with_a_person() -> None:
    policy = RegionPolicy()

    assert policy.escalate == frozenset(ESCALATE_CHOICES)
    assert policy.stages[-1] == Stage(DispatchMode.MANUAL)


def test_stages_follow_each_other_and_end() -> None:
    policy = RegionPolicy()

    assert policy.stage_after(None) == Stage(DispatchMode.AUTO, 5)
    assert policy.stage_after(DispatchMode.AUTO) == Stage(DispatchMode.GRAB, 30)
    assert policy.stage_after(DispatchMode.MANUAL) is None
    grab_only = RegionPolicy(stages=(Stage(DispatchMode.GRAB, 10), Stage(DispatchMode.MANUAL)))
    assert grab_only.stage_after(DispatchMode.AUTO) == Stage(DispatchMode.MANUAL)
    assert grab_only.stage_of(DispatchMode.GRAB) == Stage(DispatchMode.GRAB, 10)


@pytest.mark.parametrize(("code", "chain"), [
    (COUNTY, [COUNTY, CITY, PROVINCE, DEFAULT_SCOPE]),
    (CITY, [CITY, PROVINCE, DEFAULT_SCOPE]),
    (PROVINCE, [PROVINCE, DEFAULT_SCOPE]),
    ("", [DEFAULT_SCOPE]),
    ("11010", [DEFAULT_SCOPE]),
])
def test_scope_chain_runs_from_the_county_to_the_default(code: str, chain: list[str]) -> None:
    assert scope_chain(code) == chain


def test_scope_levels() -> None:
    assert [scope_level(s) for s in ("", PROVINCE, CITY, COUNTY)] == [
        "default", "province", "city", "county"]


def test_each_field_comes_from_the_nearest_scope_that_sets_it() -> None:
    bodies = {
        DEFAULT_SCOPE: {"accept_minutes": 20, "max_refusals": 3},
        PROVINCE: {"accept_minutes": 40, "grab_floor_fen": 8000},
        COUNTY: {"accept_minutes": 15},
        "310101": {"max_refusals": 9},  # another province's county changes nothing here
    }

    result = effective(COUNTY, bodies)

    assert result.policy.accept_minutes == 15
    assert result.policy.grab_floor_fen == 8000
    assert result.policy.max_refusals == 3
    assert result.policy.max_distance_km == RegionPolicy().max_distance_km
    assert (result.sources["accept_minutes"], result.sources["grab_floor_fen"],
            result.sources["max_refusals"], result.sources["max_distance_km"]) == (
        COUNTY, PROVINCE, DEFAULT_SCOPE, DEFAULT_SCOPE)


def test_a_bad_stored_setting_is_skipped_and_the_scopes_other_settings_still_count() -> None:
    bodies = {CITY: {"accept_minutes": 45},
              COUNTY: {"accept_minutes": -1, "max_refusals": 4}}

    result = effective(COUNTY, bodies)

    assert result.policy.accept_minutes == 45 and result.sources["accept_minutes"] == CITY
    assert result.policy.max_refusals == 4 and result.sources["max_refusals"] == COUNTY


def test_point_keys_are_read_from_shares_and_capacities() -> None:
    assert point_keys({"point_shares": {"a": 100}, "point_capacity": {"b": 3}}) == {"a", "b"}


# -- the inheritance property ------------------------------------------------------------

_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "accept_minutes": st.integers(1, 600),
    "max_refusals": st.integers(0, 50),
    "max_distance_km": st.integers(0, 2000),
    "grab_floor_fen": st.integers(0, 100_000),
    "escalate": st.lists(st.sampled_from(ESCALATE_CHOICES), unique=True).map(sorted),
    "point_capacity": st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 99)),
    "stages": st.sampled_from([
        [{"mode": "manual", "minutes": None}],
        [{"mode": "auto", "minutes": 5}, {"mode": "manual", "minutes": None}],
        [{"mode": "grab", "minutes": 30}, {"mode": "auto", "minutes": 2},
         {"mode": "manual", "minutes": None}],
    ]),
}
_BODY = st.fixed_dictionaries({}, optional=_VALUES)
_SCOPES = [COUNTY, CITY, PROVINCE, DEFAULT_SCOPE]


@given(st.fixed_dictionaries({}, optional=dict.fromkeys(_SCOPES, _BODY)))
def test_effective_value_is_the_nearest_scope_value_that_sets_it(
    bodies: dict[str, dict[str, Any]]
) -> None:
    result = effective(COUNTY, bodies)

    dumped = result.policy.to_body()
    for name in FIELD_NAMES:
        setting = next((s for s in _SCOPES if name in bodies.get(s, {})), None)
        expected = (RegionPolicy().to_body()[name] if setting is None
                    else parse_body({name: bodies[setting][name]}))
        if setting is not None:
            expected = RegionPolicy(**expected).to_body()[name]
        assert dumped[name] == expected
        assert result.sources[name] == (setting if setting is not None else DEFAULT_SCOPE)
