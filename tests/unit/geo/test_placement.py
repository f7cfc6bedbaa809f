"""Region placement: structured fields first, then the text; hints resolve ambiguous names."""

from __future__ import annotations

import pytest

from core.geo.placement import Locator, default_locator
from core.intake.model import Placement


@pytest.fixture(scope="module")
def locator() -> Locator:
    return default_locator()


def locate(locator: Locator, address: str, province: str = "", city: str = "",
           district: str = "") -> Placement:
    return locator.locate(address, province=province, city=city, district=district)


@pytest.mark.parametrize(("address", "adcode"), [
    ("浙江省杭州市西湖区文三路100号", "330106"),  # full
    ("浙江杭州西湖区文三路100号", "330106"),  # abbreviated
    ("杭州市西湖区文三路100号", "330106"),  # missing province
    ("浙江杭州西湖文三路100号", "330106"),  # bare county name right after its city
    ("浙江 杭州-西湖区，文三路", "330106"),  # separators between the levels
    ("中国浙江省杭州市西湖区", "330106"),
    ("北京市朝阳区建国路88号", "110105"),  # municipality, full
    ("北京朝阳区建国路88号", "110105"),
    ("北京朝阳建国路88号", "110105"),
    ("上海市浦东新区世纪大道1号", "310115"),
    ("天津和平区南京路", "120101"),
    ("重庆市城口县葛城街道", "500229"),  # Chongqing's second "city" of counties
    ("湖北省恩施土家族苗族自治州巴东县信陵镇", "422823"),
    ("湖北恩施州巴东县信陵镇", "422823"),  # 自治州 short form
    ("吉林延边州延吉市光明街", "222401"),
    ("内蒙古兴安盟乌兰浩特市", "152201"),  # 盟
    ("湖北宜昌长阳县龙舟坪镇", "420528"),  # 自治县 short form
    ("河南省济源市天坛路", "419001"),  # county-level city under the province
    ("湖北仙桃", "429004"),
    ("广东省东莞市长安镇", "441900"),  # a city that is its own county
    ("青岛市南区香港中路", "370202"),  # 青岛市 + 市南区 share the 市
    ("河南信阳新县城关镇", "411523"),  # 新县, not 阳新县 read across 信阳
    ("福建省福州市鼓楼区南京路", "350102"),  # a road named after another city
    ("上海市黄浦区南京东路", "310101"),
    ("河北唐山路南新华街道", "130202"),  # a bare county name that starts like a road
    ("黑龙江哈尔滨道里中央大街", "230102"),
    ("山东济南市中经四路", "370103"),  # 济南市 + 市中 sharing the 市
    ("辽宁朝阳朝阳柳城镇", "211321"),  # the city's name said twice: the second is 朝阳县
])
def test_text_addresses_are_placed_in_their_county(
    locator: Locator, address: str, adcode: str,
) -> None:
    placed = locate(locator, address)

    assert placed.adcode == adcode, placed.note
    assert placed.method == "text"
    assert placed.confidence >= 0.6


def test_a_full_address_fills_names_centre_and_note(locator: Locator) -> None:
    placed = locate(locator, "浙江省杭州市西湖区文三路100号")

    assert (placed.province, placed.city, placed.county) == ("浙江省", "杭州市", "西湖区")
    assert (placed.lng, placed.lat) == (120.130194, 30.259463)
    assert placed.confidence >= 0.9
    assert placed.note == ("按地址文本定位：浙江省杭州市西湖区 "
                           "(placed by the address text: 浙江省杭州市西湖区)")


@pytest.mark.parametrize(("province", "city", "adcode"), [
    ("北京", "北京市", "110105"),
    ("吉林省", "长春市", "220104"),
    ("吉林", "长春", "220104"),
    ("", "长春市", "220104"),
])
def test_chaoyang_is_resolved_by_the_hint_fields(
    locator: Locator, province: str, city: str, adcode: str,
) -> None:
    placed = locate(locator, "朝阳区建国路88号", province, city)

    assert placed.adcode == adcode
    assert placed.method == "hints"
    assert placed.confidence >= 0.8
    assert "同名" in placed.note


@pytest.mark.parametrize(("province", "city", "adcode"), [
    ("江苏省", "南京市", "320106"),
    ("江苏省", "徐州市", "320302"),
    ("福建", "福州", "350102"),
    ("福建省", "", "350102"),  # the only 鼓楼区 in Fujian
    ("河南", "开封市", "410204"),
])
def test_gulou_is_resolved_by_the_hint_fields(
    locator: Locator, province: str, city: str, adcode: str,
) -> None:
    assert locate(locator, "鼓楼区中山路1号", province, city).adcode == adcode


def test_an_ambiguous_county_without_hints_is_placed_with_low_confidence(
    locator: Locator,
) -> None:
    placed = locate(locator, "鼓楼区中山路1号")

    assert placed.adcode in {"320106", "320302", "350102", "410204"}
    assert placed.confidence < 0.5
    assert "有4处同样可能" in placed.note and "请核实" in placed.note


def test_the_province_alone_can_decide_between_namesakes(locator: Locator) -> None:
    assert locate(locator, "吉林朝阳区人民大街").adcode == "220104"
    assert locate(locator, "西湖区文三路", "江西省").adcode == "360103"


@pytest.mark.parametrize(("province", "city", "district"), [
    ("浙江省", "杭州市", "西湖区"),
    ("浙江", "杭州", "西湖"),  # abbreviated fields
    ("浙江省", "杭州市", " 西湖区 "),
])
def test_structured_fields_alone_place_the_order(
    locator: Locator, province: str, city: str, district: str,
) -> None:
    placed = locate(locator, "文三路100号", province, city, district)

    assert placed.adcode == "330106"
    assert placed.method == "structured"
    assert placed.confidence >= 0.9


@pytest.mark.parametrize(("province", "city", "district"), [
    ("北京", "朝阳区", "三环以内"),  # levels shifted up, a street area as the district
    ("北京市", "市辖区", "朝阳区"),  # the placeholder municipalities get as a city
    ("北京市", "北京市", "朝阳区"),
])
def test_structured_fields_tolerate_placeholders_and_wrong_levels(
    locator: Locator, province: str, city: str, district: str,
) -> None:
    placed = locate(locator, "", province, city, district)

    assert placed.adcode == "110105"
    assert placed.method == "structured"


def test_a_wrong_structured_district_yields_to_the_text(locator: Locator) -> None:
    placed = locate(locator, "浙江省杭州市西湖区文三路100号", "浙江省", "杭州市", "朝阳区")

    assert placed.adcode == "330106"
    assert placed.method == "text"
    assert "区县字段“朝阳区”与定位结果不符" in placed.note
    assert placed.confidence < 0.9


def test_an_unknown_structured_district_yields_to_the_text(locator: Locator) -> None:
    placed = locate(locator, "浙江省杭州市上城区解放路", "浙江省", "杭州市", "江干区")

    assert placed.adcode == "330102"
    assert "区县字段“江干区”未能识别" in placed.note


def test_structured_district_wins_over_a_different_county_in_the_text(
    locator: Locator,
) -> None:
    placed = locate(locator, "浙江省杭州市余杭区文一西路", "浙江省", "杭州市", "西湖区")

    assert placed.adcode == "330106"
    assert placed.method == "structured"
    assert "余杭区" in placed.note and "以结构化字段为准" in placed.note
    assert placed.confidence < 0.9


def test_a_city_without_county_fills_names_but_is_not_placed(locator: Locator) -> None:
    placed = locate(locator, "杭州市文三路100号")

    assert placed.adcode is None
    assert (placed.province, placed.city, placed.county) == ("浙江省", "杭州市", "")
    assert placed.method == "unplaced"
    assert placed.lng is None and placed.lat is None
    assert 0 < placed.confidence < 0.5
    assert "只能定位到市级" in placed.note


@pytest.mark.parametrize(("address", "province", "city"), [
    ("辽宁朝阳柳城镇", "辽宁省", "朝阳市"),  # 朝阳 right after 辽宁 is the city, not 朝阳县
    ("重庆市解放碑", "重庆市", "重庆市"),
    ("北京朝阳路", "北京市", "北京市"),  # 朝阳路 is a road
])
def test_city_level_addresses(locator: Locator, address: str, province: str, city: str) -> None:
    placed = locate(locator, address)

    assert (placed.adcode, placed.province, placed.city) == (None, province, city)


def test_a_road_named_after_a_city_is_not_a_place(locator: Locator) -> None:
    assert locate(locator, "南京路100号").province == ""


def test_a_county_that_contradicts_the_province_and_city_is_not_taken(
    locator: Locator,
) -> None:
    placed = locate(locator, "浙江省杭州市朝阳区")

    assert placed.adcode is None
    assert placed.city == "杭州市"
    assert "朝阳区" in placed.note


@pytest.mark.parametrize("address", ["", "   ", "asdf qwer!!", "12345", "\x00\x01\u200b", "收货人"])
def test_garbage_is_unplaced(locator: Locator, address: str) -> None:
    placed = locate(locator, address)

    assert placed.adcode is None
    assert placed.method == "unplaced"
    assert placed.confidence == 0.0
    assert placed.note


def test_a_county_without_a_centre_takes_its_city_centre(locator: Locator) -> None:
    placed = locate(locator, "甘肃省嘉峪关市雄关路")

    assert placed.adcode == "620201"
    assert (placed.lng, placed.lat) == (98.289419, 39.772554)
    assert "取所在市的中心" in placed.note


def test_a_province_run_county_has_no_city_name(locator: Locator) -> None:
    placed = locate(locator, "湖北省仙桃市仙桃大道")

    assert (placed.adcode, placed.province, placed.city, placed.county) == (
        "429004", "湖北省", "", "仙桃市")


def test_a_huge_address_with_control_characters_is_handled(locator: Locator) -> None:
    address = "浙江省杭州市西湖区\x00\x1f\ud800文三路" + "很长的备注\u0000" * 20_000

    placed = locate(locator, address)

    assert placed.adcode == "330106"
