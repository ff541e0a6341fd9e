"""Tests for ``analysis.core.source_policy``: refused copies stop validation; real data passes."""

from __future__ import annotations

import pytest

from analysis.core import data, source_policy
from analysis.core.validate import DataValidationError, load_package


@pytest.mark.parametrize(
    "url",
    [
        "http://tvsmo.com/b5/3/1/17/n266652.htm",
        "https://www.epochtimes.com/gb/1/7/17/n110460.htm",
        "https://cn.epochtimes.com/gb/x.htm",
        "https://www.dajiyuan.com/a.html",
        "https://www.rfa.org/mandarin/x.html",
        "https://www.voachinese.com/a/x.html",
        "https://www.ntdtv.com/gb/x.html",
        "https://blog.wenxuecity.com/myblog/77802/202102/3428.html",
        "https://freewechat.com/a/MjM5MzgxODE0NQ==/2653296408/2",
        "http://47.119.178.38/?id=11680",
        "http://[2001:db8::1]/x",
        "https://blog.bobobk.com/financial/2024/01-24/10151861.html",
        "http://blog.sina.com.cn/s/blog_x.html",
        "http://TVSMO.COM./b5/x.htm",
        # repost aggregators the issue-16 re-reading found (see docs/research/source-policy.md)
        "http://www.techsir.com/a/201304/15858.html",
        "https://web.xiaze.org/tjgb/201204/28099-2.html",
        "http://m.lujuzi.cn/news/rf/200901/431154.htm",
        "https://www.itbear.com.cn/html/2026-01/1114234.html",
    ],
)
def test_denied_addresses_are_refused(url):
    assert source_policy.refusal(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://www.stats.gov.cn/sj/ndsj/2012/html/P1635C.HTM",
        "http://big5.www.gov.cn/gate/big5/www.gov.cn/gzdt/2011-01/26/content_1793136.htm",
        "http://finance.people.com.cn/BIG5/n/2014/0224/c1004-24446755.html",
        "http://www.dvbcn.com/p/120289.html",
        "http://cn.chinagate.cn/reports/2013-06/20/content_29177630_6.htm",
        "http://www.chinahightech.com/html/chany/xxjs/2023/0209/5660867.html",
        "http://crnews.net/xw/tg/1786_20150520035600.html",
        # a name that merely contains a denied one is not refused
        "https://notrfa.org.cn/x.html",
        "https://myblog.example.cn/x.html",
    ],
)
def test_acceptable_addresses_pass(url):
    assert source_policy.refusal(url) is None


def test_a_repost_aggregator_is_refused_as_one():
    why = source_policy.refusal("http://1cnz.cn/d/1475819.html")
    assert why is not None and "转载聚合" in why
    # the policy table on the methods page names every aggregator host
    from analysis.chapters import methods  # the table is the methods page's

    table = str(methods.policy_table()._repr_html_())
    assert all(host in table for host in source_policy.REPOST_HOSTS)


def test_repository_sources_follow_the_policy(real_data):
    sources = data.table("sources")
    urls = zip(sources["id"], sources["url"], strict=True)
    refused = {sid: source_policy.refusal(u) for sid, u in urls}
    assert {sid: why for sid, why in refused.items() if why} == {}


def test_validation_refuses_a_denied_copy_with_file_row_and_column(edit_cell, find_row):
    row = find_row("sources.csv", id="cnnic_report_43")
    edit_cell("sources.csv", row, "url", "http://tvsmo.com/b5/3/1/17/n266652.htm")
    with pytest.raises(DataValidationError) as info:
        load_package()
    where = ("sources.csv", row, "url")
    hits = [p for p in info.value.problems if (p.file, p.row, p.column) == where]
    assert len(hits) == 1
    assert "cnnic_report_43" in hits[0].message
    assert "大纪元" in hits[0].message


def test_validation_refuses_a_bare_ip_address(edit_cell, find_row):
    row = find_row("sources.csv", id="cnnic_report_43")
    edit_cell("sources.csv", row, "url", "http://47.119.178.38/?id=11680")
    with pytest.raises(DataValidationError) as info:
        load_package()
    assert any("IP" in p.message and p.row == row for p in info.value.problems)
