"""County figures and county maps: census sums, formulas, missing values, classes, drawing."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis.chapters import counties as county_maps
from analysis.core import data
from analysis.model import counties, trends
from analysis.render.maps import read_layer


def wide() -> pd.DataFrame:
    values = counties.county_values()
    return values.pivot(index="adcode", columns="measure", values="value")


@pytest.mark.parametrize("year", [2010, 2020])
def test_the_maps_use_the_nine_compiled_county_figures(real_data, year):
    obs = data.observations()
    rows = obs[(obs.indicator == "resident_population") & (obs.year == year)]
    rows = rows[rows.source_id == f"leiii_census_county_{year}"]
    assert len(rows) == 9
    # the figures the maps use: one per county, the compilation's
    assert wide()[f"pop_{year}"].sum() == pytest.approx(rows.value.sum(), abs=1e-6)
    # the city's own census total was read only on a repost site and was dropped (issue 16)
    assert trends.lookup("331000", year, "resident_population") is None


def test_yuhuan_figures_under_the_old_code_belong_to_yuhuan_city(data_copy, append_row):
    # no county telecom figure survived the source policy (issue 16): the test brings its own
    append_row(
        "observations/taizhou.csv",
        {
            "area_code": "331021",
            "year": "2011",
            "indicator": "mobile_users",
            "value": "90.5",
            "unit": "万户",
            "source_id": "zj_bulletin_2023",
        },
    )
    assert counties.current_code("331021") == "331083"
    assert counties.current_code("331082") == "331082"
    old = trends.figure("331021", 2010, "resident_population").value
    assert wide().loc["331083", "pop_2010"] == pytest.approx(old)
    text = county_maps.telecom_texts().loc["331083"]
    assert "2011年移动电话用户数 90.5 万户" in text


def test_derived_measures_follow_their_formulas(real_data):
    area = read_layer(counties.LAYER).set_index("adcode").area_km2
    w = wide()
    assert np.allclose(w.change, (w.pop_2020 / w.pop_2010 - 1) * 100)
    assert np.allclose(w.density, w.pop_2020 * 1e4 / area[w.index])
    derived = counties.county_values().set_index("measure").derived
    assert not derived["pop_2020"].iloc[0] and derived["density"].iloc[0]
    measures = {m.id: m for m in counties.MEASURES}
    assert county_maps.how_text(measures["pop_2020"]) == "公布数"
    assert county_maps.how_text(measures["density"]).startswith("本站推算")


def test_a_missing_figure_is_no_data_not_zero(data_copy):
    path = data_copy / "observations" / "population.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    # give the city totals equal to the nine counties' sums, so the dropped county shows
    sums = wide()[["pop_2010", "pop_2020"]].sum()
    city = pd.DataFrame(
        {
            "area_code": "331000",
            "year": ["2010", "2020"],
            "indicator": "resident_population",
            "value": [f"{sums['pop_2010']:.4f}", f"{sums['pop_2020']:.4f}"],
            "unit": "万人",
            "source_id": "zj_bulletin_2023",
            "note": "",
        }
    )
    frame = pd.concat([frame, city], ignore_index=True)
    frame = frame[~((frame.area_code == "331022") & (frame.year == "2020"))]
    frame.to_csv(path, index=False)
    w = wide()
    assert np.isnan(w.loc["331022", "pop_2020"]) and np.isnan(w.loc["331022", "density"])
    classes = county_maps.classes("density").set_index("adcode")
    assert classes.loc["331022", "text"] == "缺失"
    assert classes.loc["331022", "fill"] == county_maps.NO_DATA
    assert classes.loc["331022", "class_label"] == "缺失"
    assert "无法与九县之和比较" in county_maps.city_population_sentence(counties.summary())


def test_classify_keeps_missing_values_and_orders_classes():
    values = pd.Series([1.0, 2.0, np.nan, 10.0, 11.0, 50.0, 52.0])
    bins, cls = counties.classify(values, k=3)
    assert len(bins) == 3 and bins == sorted(bins) and bins[-1] == 52.0
    assert np.isnan(cls[2])
    for v, c in zip(values, cls, strict=True):
        if not np.isnan(v):
            assert v <= bins[int(c)] and (c == 0 or v > bins[int(c) - 1])
    few_bins, few = counties.classify(pd.Series([5.0, 5.0, np.nan]), k=4)
    assert few_bins == [5.0] and list(few[:2]) == [0, 0]
    assert counties.classify(pd.Series([np.nan]))[0] == []


def test_areas_show_the_official_figure_only_where_a_source_gives_it(real_data):
    table = counties.areas_table().set_index("adcode")
    assert table.loc["331002", "official_km2"] == pytest.approx(280.1)
    others = table.drop(index="331002")
    assert others["official_km2"].isna().all()
    assert others.official_source.isna().all()
    shown = county_maps.areas_frame().set_index("行政区划代码")
    assert set(shown.drop(index="331002")["官方数字来源"]) == {"缺失"}


def test_static_shapes_are_valid_and_keep_county_areas(real_data):
    shapes = county_maps.static_shapes()
    web = read_layer(counties.LAYER).to_crs(county_maps.METRIC_CRS).set_index("adcode").area
    assert shapes.is_valid.all() and len(shapes) == 9
    ratio = shapes.set_index("adcode").area / web
    assert (abs(ratio - 1) < 0.01).all()


def test_interactive_map_has_one_layer_and_a_switch_per_measure(real_data):
    html = str(county_maps.interactive_map())
    assert html == str(county_maps.interactive_map())
    assert len(set(re.findall(r'"adcode": "(3310\d\d)"', html))) == 9
    # the switch is plain HTML above the map (it never covers a county), before the map
    switch = html.index('<form class="atlas-measure-switch"')
    assert switch < html.index('class="folium-map atlas-leaflet"')
    assert html.count('name="atlas-measure"') == len(counties.MEASURES)
    for m in counties.MEASURES:
        assert f'"fill_{m.id}"' in html
    assert "tileLayer" not in html


def test_interactive_map_shows_one_legend_names_counties_and_a_metric_scale(real_data):
    html = str(county_maps.interactive_map())
    legends = re.findall(r'<div class="atlas-legend" data-measure="(\w+)"( hidden)?>', html)
    assert [m for m, _ in legends] == [m.id for m in counties.MEASURES]
    assert [bool(h) for _, h in legends] == [False] + [True] * (len(counties.MEASURES) - 1)
    for name in read_layer(counties.LAYER).name_zh:
        escaped = "".join(f"\\u{ord(c):04x}" for c in name)  # as folium writes the label
        assert f'"html": "\\u003cspan\\u003e{escaped}\\u003c/span\\u003e"' in html
    assert "imperial: false" in html and "control.scale" in html
    assert 'zoomInTitle: "放大"' in html
    assert '"imperial": true' not in html


def test_every_static_map_names_every_county(real_data):
    html = str(county_maps.static_maps())
    assert html.count("<svg ") == len(county_maps.STATIC_MEASURES)  # one drawing per measure
    for name in read_layer(counties.LAYER).name_zh:
        assert html.count(f">{name}</text>") >= len(county_maps.STATIC_MEASURES)


def test_static_maps_are_a_drawing_with_every_county_scale_and_north(real_data):
    html = str(county_maps.static_maps())
    assert "atlas-spec" not in html and 'class="atlas-chart-static"' in html  # no Vega needed
    shapes = re.findall(
        r'aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="geoshape"', html
    )
    assert len(shapes) == 9 * len(county_maps.STATIC_MEASURES)
    for name in read_layer(counties.LAYER).name_zh:
        assert sum(f"县: {name};" in label for label in shapes) == len(county_maps.STATIC_MEASURES)
    assert "20 km" in html and "▲ 北" in html


def test_summary_facts_match_the_values(real_data):
    facts = counties.summary()
    w = counties.county_values().pivot(index="name_zh", columns="measure", values="value")
    assert facts["densest"] == list(w.density.nlargest(3).index)
    assert facts["coast_min_density"] == pytest.approx(w.loc[counties.COAST, "density"].min())
    # data/ holds no city census total read in an acceptable copy (issue 16): nothing to check
    assert facts["city_totals"] is None
    assert county_maps.city_population_sentence(facts) == "全市常住人口按九县之和计算"
    tele = counties.telecom_summary()
    assert facts["with_telecom"] == (tele.figures > 0).sum() == 0
    assert set(county_maps.telecom_texts()) == {"缺失"}
    assert county_maps.telecom_phrase(0) == "九个县（市、区）在本站可查的公开材料中都没有电信数字"
    assert "只有 2 个" in county_maps.telecom_phrase(2)


@pytest.mark.parametrize(("factor", "said"), [(1.0, "与九县之和一致"), (1.01, "2020 年 多 1.0%")])
def test_a_city_census_total_is_compared_with_the_counties_not_refused(
    data_copy, append_row, factor, said
):
    """A valid city total joins the page: the same as the counties' sum, or said to differ."""
    sums = counties.summary()["county_sums"]
    for year in (2010, 2020):
        append_row(
            "observations/population.csv",
            {
                "area_code": "331000",
                "year": str(year),
                "indicator": "resident_population",
                "value": f"{sums[year] * (factor if year == 2020 else 1):.2f}",
                "unit": "万人",
                "source_id": "zj_bulletin_2023",
                "note": "[已核实] 测试用",
            },
        )
    facts = counties.summary()
    assert set(facts["city_totals"]) == {2010, 2020}
    sentence = county_maps.city_population_sentence(facts)
    assert sentence.startswith("全市常住人口取自全市的普查数字") and said in sentence
    county_maps.require_stated_facts(facts)  # a valid figure never stops the build
