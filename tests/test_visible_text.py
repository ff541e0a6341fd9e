"""Unit tests for ``atlas_dev.visible_text.findings`` (the word scan of the browser test)."""

from __future__ import annotations

from atlas_dev.visible_text import bare_numbers, findings


def test_snake_case_ids_are_found():
    assert findings("指标 broadband_household_rate 的同比") == ["broadband_household_rate"]


def test_english_words_are_found():
    assert findings("Skip to content") == ["Skip", "to", "content"]
    assert findings("year value used") == ["year", "value", "used"]
    assert findings("比例尺 300 mi") == ["mi"]


def test_file_names_and_commands_are_found():
    assert "census_county_2010_v1.xlsx" in " ".join(findings("census_county_2010_v1.xlsx"))
    assert findings("运行 make book") == ["make", "book"]


def test_allowed_terms_numbers_and_chinese_pass():
    text = "5G 用户 21,300 万户；FTTH 覆盖；GB/T 标准；MAPE 12.5%；带宽 600 Gbit/s；下载 CSV"
    assert findings(text) == []
    assert findings("2011 年移动电话普及率 134.88 部/百人") == []


def test_bare_numbers_are_found_but_not_codes_or_separated_numbers():
    assert bare_numbers("中国宽带用户 21300 万户") == ["21300"]
    assert bare_numbers("21,300 万户；134.88 部/百人；2011 年；111215.5") == ["111215"]
    assert bare_numbers("台州市 331000；全国 100000；GB/T 33356-2016") == []


def test_the_data_version_hash_passes_but_words_of_eight_letters_do_not():
    assert findings("数据版本：2026-11-30 · 678fdc72") == []
    assert bare_numbers("数据版本：2026-11-30 · 4f242186") == []
    assert bare_numbers("共 4242186 个") == ["4242186"]
    assert findings("下载全书印刷版（PDF，A4）") == []
    assert findings("deadbeef abcdefgh") == ["deadbeef", "abcdefgh"]
