"""The infrastructure chapter's tables and chart data agree with data/ and with their formulas."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.chapters import infrastructure as infra
from analysis.core import data
from analysis.model import counties, trends
from analysis.render.numbers import shown

STUDY = "cppcc_2012_smart_taizhou"


def test_key_figures_are_the_study_figures_beside_zhejiang_and_china(real_data):
    table = infra.key_figures().set_index("指标")
    obs = data.observations()
    for fig in infra.study_figures():
        row = table.loc[fig.label_zh]
        assert row["台州市"] == pytest.approx(fig.value)
        for area, column in (("330000", "浙江省"), ("100000", "中国")):
            hit = obs[
                (obs.area_code == area) & (obs.year == 2011) & (obs.indicator == fig.indicator)
            ]
            if hit.empty:
                assert row[column] is None or math.isnan(row[column])  # shown as 缺失
            else:
                assert row[column] == pytest.approx(trends.figure(area, 2011, fig.indicator).value)


def test_trend_frame_holds_every_chosen_figure_once(real_data):
    frame = infra.trend_frame()
    pref = trends.preferred()
    expected = pref[pref.area_code.isin(infra.AREAS) & pref.indicator.isin(infra.TREND_INDICATORS)]
    assert len(frame) == len(expected)
    assert not frame.duplicated(["area_code", "indicator", "年份"]).any()
    merged = frame.merge(
        expected,
        left_on=["area_code", "indicator", "年份"],
        right_on=["area_code", "indicator", "year"],
    )
    assert (merged["数值"] == merged["value"]).all()


def test_a_single_year_is_a_run_of_its_own(real_data):
    frame = infra.trend_frame()
    tz = frame[(frame.area_code == "331000") & (frame.indicator == "mobile_per_100")]
    assert list(tz["年份"]) == [2011]
    runs = frame.groupby(["indicator", "线段"])["年份"].agg(["min", "max", "count"])
    assert (runs["max"] - runs["min"] + 1 == runs["count"]).all()


def test_rates_on_both_bases_follow_the_formula(real_data):
    table = infra.rates_on_both_bases().set_index(["用户", "口径"])
    mobile = data.figure("331000", 2011, "mobile_users", source_id=STUDY)
    registered = trends.figure("331000", 2011, "registered_population")
    # no city census total read in an acceptable copy: the nine counties' 2010 census added up
    resident = counties.city_census_total(2010)
    how = table.loc[(mobile.label_zh, "按常住人口推算"), "来源或算法"]
    assert "九个县（市、区）2010年普查常住人口之和" in how
    got = table.loc[(mobile.label_zh, "按户籍人口推算"), "每百人（部）"]
    assert got == pytest.approx(round(mobile.value / registered.value * 100, 2))
    got = table.loc[(mobile.label_zh, "按常住人口推算"), "每百人（部）"]
    assert got == pytest.approx(round(mobile.value / resident.value * 100, 2))
    published = data.figure("331000", 2011, "mobile_per_100", source_id=STUDY).value
    assert table.loc[(mobile.label_zh, "公布的普及率"), "每百人（部）"] == pytest.approx(published)


def test_positions_agree_with_the_reference_series(real_data):
    table = infra.positions()
    assert len(table) > 0
    for _, row in table.iterrows():
        value = float(row["台州数字"].split()[-1])
        area = "330000" if row["参照"].startswith("浙江") else "100000"
        reference = trends.series(area, "mobile_per_100")
        if (reference < value).all():
            assert row["位置"].startswith("领先")
            assert row["领先年数"] == f"超过 {reference.index.max() - 2011} 年"
        else:
            assert row["位置"] == trends.position(value, 2011, reference).describe()


def test_milestones_match_the_crossings(real_data):
    table = infra.milestones()
    for indicator, level, label in infra.MILESTONES:
        for area in infra.AREAS:
            name = data.table("areas").set_index("area_code").loc[area, "name_zh"]
            row = table[(table["里程碑"] == label) & (table["地区"] == name)].iloc[0]
            values = trends.series(area, indicator)
            if values.empty:
                assert pd.isna(row["达到时间"])
                continue
            crossing = trends.crossing(values, level)
            assert row["达到时间"] == crossing.describe()
            if crossing.first_at is not None:
                assert values[crossing.first_at] >= level
            if crossing.last_below is not None and crossing.first_at is not None:
                assert values[crossing.last_below] < level


def test_ratios_are_the_quotients_of_published_counts(real_data):
    table = infra.ratios()
    assert len(table) > 0
    names = data.table("areas").set_index("name_zh")["area_code"]
    for _, row in table.iterrows():
        num, den, _label, percent = next(r for r in infra.RATIOS if r[2] == row["比值"])
        area = names[row["地区"]]
        top = trends.figure(area, row["年份"], num).value
        bottom = trends.figure(area, row["年份"], den).value
        expected = f"{top / bottom:.1%}" if percent else f"{top / bottom:.2f} 倍"
        assert row["数值"] == expected


def test_growth_is_the_cagr_of_first_and_last_published_years(real_data):
    table = infra.growth()
    for _, row in table.iterrows():
        first, last = (int(y) for y in row["起止年份"].split("—"))
        rate = trends.cagr(row["起"], first, row["止"], last)
        assert row["年均增长率"] == f"{rate:+.1%}"


def test_county_rate_is_derived_only_with_a_base(data_copy, append_row):
    # the repository holds no county telecom figure read in an acceptable copy (issue 16 dropped
    # the Yuhuan bulletins read on a repost site), so the test brings its own Yuhuan rows
    for year, indicator, value, unit in [
        (2011, "mobile_users", "90.0", "万户"),
        (2012, "mobile_users", "85.0", "万户"),
        (2011, "fixed_per_100", "50.0", "部/百人"),
    ]:
        append_row(
            "observations/taizhou.csv",
            {
                "area_code": "331021",
                "year": str(year),
                "indicator": indicator,
                "value": value,
                "unit": unit,
                "source_id": "zj_bulletin_2023",  # any source dated after the figures
            },
        )

    def row(year, indicator="移动电话用户数"):
        frame = infra.county_figures()
        hit = frame[(frame["县（市、区）"] == "玉环县") & (frame["年份"] == year)]
        return hit[hit["指标"] == indicator].iloc[0]

    census = trends.figure("331021", 2010, "resident_population")
    mobile = trends.figure("331021", 2011, "mobile_users")
    derived = row(2011)
    assert derived["rate"] == pytest.approx(mobile.value / census.value * 100)
    assert derived["每百人（本站推算）"] == (
        f"{shown(derived['rate'], 'mobile_per_100')}（按2010年常住人口 {census.formatted()}）"
    )
    # no population within a year of 2012: nothing is derived
    assert pd.isna(row(2012)["rate"])
    assert row(2012)["每百人（本站推算）"] == "未推算：没有同期人口数字"
    # a published rate is never re-derived
    assert row(2011, "固定电话普及率")["每百人（本站推算）"] == "不适用：本身是公布的比率"
    # a same-year registered population, once added, is used before the census
    append_row(
        "observations/population.csv",
        {
            "area_code": "331021",
            "year": "2012",
            "indicator": "registered_population",
            "value": "42.5",
            "unit": "万人",
            "source_id": "zj_bulletin_2023",
        },
    )
    assert row(2012)["rate"] == pytest.approx(85.0 / 42.5 * 100)
    assert "2012年户籍人口" in row(2012)["每百人（本站推算）"]


def test_published_after_counts_taizhou_figures(data_copy, append_row):
    before = infra.published_after("331000", 2011, ["mobile_users"])
    append_row(
        "observations/taizhou.csv",
        {
            "area_code": "331000",
            "year": "2013",
            "indicator": "mobile_users",
            "value": "850",
            "unit": "万户",
            "source_id": "zj_bulletin_2023",  # a document dated after 2013
        },
    )
    assert infra.published_after("331000", 2011, ["mobile_users"]) == before + 1


def test_taizhou_area_codes_cover_both_yuhuan_codes(real_data):
    codes = infra.taizhou_area_codes()
    assert codes[0] == "331000" and {"331021", "331083"} <= set(codes) and len(codes) == 11


def test_trend_chart_refuses_a_default_without_data(real_data):
    with pytest.raises(LookupError, match="no published figure"):
        infra.trend_chart(default="land_area_km2")


def test_indicator_label_has_name_and_unit(real_data):
    assert infra.indicator_label("mobile_per_100") == "移动电话普及率（部/百人）"


def test_the_rates_table_states_the_population_base_rule(real_data, monkeypatch):
    from analysis.model import rates

    assert "相差不超过 1 年的普查数" in str(infra.rates_table())
    monkeypatch.setattr(rates, "CENSUS_DISTANCE", 2)
    assert "相差不超过 2 年的普查数" in str(infra.rates_table())


def test_derived_rates_take_their_decimals_from_the_indicator(data_copy, edit_cell, find_row):
    table = infra.rates_on_both_bases().set_index(["用户", "口径"])
    assert table.loc[("移动电话用户数", "按常住人口推算"), "每百人（部）"] == 132.60
    assert "推算值保留两位小数" in str(infra.rates_table())
    edit_cell("indicators.csv", find_row("indicators.csv", id="mobile_per_100"), "decimals", "1")
    table = infra.rates_on_both_bases().set_index(["用户", "口径"])
    assert table.loc[("移动电话用户数", "按常住人口推算"), "每百人（部）"] == 132.6
    assert table.loc[("移动电话用户数", "按户籍人口推算"), "每百人（部）"] == 134.9
    assert "推算值保留一位小数" in str(infra.rates_table())


def test_a_second_document_for_zhejiangs_rate_is_compared_not_refused(data_copy, append_row):
    """The landing page compares Taizhou with the Zhejiang figure the charts show."""
    append_row(
        "sources.csv",
        {
            "id": "zj_bulletin_2011_test",
            "title": "浙江省2011年国民经济和社会发展统计公报（测试用）",
            "publisher": "浙江省统计局",
            "date": "2012-02",
            "kind": "official",
            "note_zh": "测试用。",
        },
    )
    append_row(
        "observations/zhejiang.csv",
        {
            "area_code": "330000",
            "year": "2011",
            "indicator": "mobile_per_100",
            "value": "140.5",
            "unit": "部/百人",
            "source_id": "zj_bulletin_2011_test",
        },
    )
    study = {f.indicator: f for f in infra.study_figures()}["mobile_per_100"]
    shown = trends.figure("330000", 2011, "mobile_per_100")
    word = "高于" if study.value > shown.value else "低于"
    assert infra.against_zhejiang(study) == f"{word}同年全省水平（{shown.formatted()}）"


def test_the_lead_over_china_follows_the_data(data_copy, append_row):
    """A later national rate above Taizhou's 2011 rate turns "still above" into "reached in"."""
    rate = float(
        infra.rates_on_both_bases()
        .query("用户 == '移动电话用户数'")
        .set_index("口径")
        .loc["按常住人口推算", "每百人（部）"]
    )
    before = infra.mobile_against_china(rate)
    cn = trends.series("100000", "mobile_per_100")
    if cn.iloc[-1] < rate:
        assert before["vs_cn"] == "也高于" and "的水平还高" in before["lead_cn"]
    append_row(
        "sources.csv",
        {
            "id": "miit_bulletin_test",
            "title": "通信业统计公报（测试用）",
            "publisher": "工业和信息化部",
            "date": "2031-01",
            "kind": "official",
            "note_zh": "测试用。",
        },
    )
    year = int(cn.index[-1]) + 1
    append_row(
        "observations/china.csv",
        {
            "area_code": "100000",
            "year": str(year),
            "indicator": "mobile_per_100",
            "value": f"{rate + 5:.1f}",
            "unit": "部/百人",
            "source_id": "miit_bulletin_test",
            "note": "[已核实] 测试用",
        },
    )
    after = infra.mobile_against_china(rate)
    assert after["vs_cn"] == "低于"
    first = min(
        int(y)
        for y, v in trends.series("100000", "mobile_per_100").items()
        if y > 2011 and v >= rate
    )
    assert after["lead_cn"].endswith(f"到 {first} 年才达到")


def _add_china_counts(append_row, year: int, counts: dict[str, float]) -> None:
    append_row(
        "sources.csv",
        {
            "id": "miit_bulletin_test",
            "title": "通信业统计公报（测试用）",
            "publisher": "工业和信息化部",
            "date": f"{year + 1}-01",
            "kind": "official",
            "note_zh": "测试用。",
        },
    )
    for indicator, value in counts.items():
        append_row(
            "observations/china.csv",
            {
                "area_code": "100000",
                "year": str(year),
                "indicator": indicator,
                "value": str(value),
                "unit": "万户",
                "source_id": "miit_bulletin_test",
                "note": "[已核实] 测试用",
            },
        )


def test_the_substitution_judgements_follow_the_latest_counts(data_copy, append_row):
    """A later national year with fibre under half and fewer mobiles than fixed lines turns both
    judgements round, and names China; the shares listed are each area's latest."""
    assert infra.fibre_sentence().startswith("宽带接入已从铜缆转向光纤：")
    assert infra.phone_sentence().endswith("手机取代了固定电话")
    _add_china_counts(
        append_row,
        2025,
        {
            "ftth_users": 20000,
            "broadband_users": 50000,
            "mobile_users": 15000,
            "fixed_line_users": 20000,
        },
    )
    fibre = infra.fibre_sentence()
    assert fibre.startswith("中国的光纤到户用户还不到固定宽带用户的一半：")
    assert "中国 2025 年 40.0%" in fibre and "2018 年" not in fibre
    assert infra.phone_sentence() == "按最近一年的用户数，中国的移动电话用户还不多于固定电话用户"


def test_the_substitution_sentences_say_when_nothing_can_be_compared(monkeypatch):
    empty = infra.model_ratios.ratio_values().iloc[0:0]
    monkeypatch.setattr(infra.model_ratios, "ratio_values", lambda: empty)
    assert "无法推算光纤的比重" in infra.fibre_sentence()
    assert "无法比较二者" in infra.phone_sentence()


def test_county_sentences_count_counties_and_condense_years(data_copy, append_row):
    """Figures for 玉环 under both its codes count as one county; years run as ranges."""
    append_row(
        "sources.csv",
        {
            "id": "yuhuan_bulletin_test",
            "title": "玉环统计公报（测试用）",
            "publisher": "玉环市统计局",
            "date": "2020-03",
            "kind": "official",
            "note_zh": "测试用。",
        },
    )
    for code, years in (("331021", range(2010, 2017)), ("331083", range(2017, 2020))):
        for year in years:
            append_row(
                "observations/taizhou.csv",
                {
                    "area_code": code,
                    "year": str(year),
                    "indicator": "mobile_users",
                    "value": "60",
                    "unit": "万户",
                    "source_id": "yuhuan_bulletin_test",
                    "note": "[已核实] 测试用",
                },
            )
    intro = infra.county_sentences()["county_tele_intro"]
    assert intro.startswith("九个县（市、区）中有 1 个在本站可查的材料中有电信数字")
    assert "玉环县 2010—2016 年" in intro and "玉环市 2017—2019 年" in intro
