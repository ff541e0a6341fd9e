"""The source policy: which copies of a document the site may cite.

Every figure cites its primary document (the MIIT bulletin, the CNNIC report, the yearbook table),
read in an official or mainstream copy: a government site, the issuing body, state or industry
media. Whether a copy is "mainstream" needs judgement and is recorded in each source's note; what
can be checked by a program is the short deny-list below, of hosts and kinds of address that a
government site can never cite. :func:`refusal` says why an address is refused; validation calls
:func:`check_sources` on ``data/sources.csv`` and stops the build on any refused address.

The policy is written for readers on the methods page (``book/methods.md``, 来源政策).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import pandas as pd

# hosts (and every subdomain of them) never cited: the reason is shown to the analyst
DENIED_HOSTS = {
    "epochtimes.com": "大纪元网站",
    "dajiyuan.com": "大纪元网站",
    "tvsmo.com": "大纪元镜像网站",
    "ntdtv.com": "新唐人电视台网站",
    "ntd.tv": "新唐人电视台网站",
    "rfa.org": "自由亚洲电台网站",
    "voachinese.com": "美国之音网站",
    "voanews.com": "美国之音网站",
    "wenxuecity.com": "文学城（个人博客平台）",
    "freewechat.com": "境外微信文章存档网站",
}
# first labels of a host that mark a personal blog platform (blog.sina.com.cn, blog.example.com)
BLOG_LABELS = {"blog", "blogs"}
# repost aggregators found while re-reading the sources (issue 16): sites with no newsroom of their
# own that republish other outlets' articles in bulk (mirrored paths, traditional-character
# conversions, "转载仅为传播信息" disclaimers); none of them is the publisher of what it carries
REPOST_HOSTS = {
    "1cnz.cn",
    "95mulu.com",
    "asorrir.com",
    "baiduer.com.cn",
    "csvscnns.com",
    "dwrh.net",
    "efusc.com",
    "fafqdl.cn",
    "hongheiku.com",
    "iamivan.net",
    "icandata.com",
    "ilynn.cn",
    "info110.com",
    "itbear.com.cn",
    "jsmbw.com",
    "jxxfw.com",
    "lgo100.com",
    "lujuzi.cn",
    "newskj.org",
    "scorrum.com",
    "techsir.com",
    "weimomishe.com",
    "xiaze.org",
    "xinwust.com",
}
REPOST_REASON = "转载聚合网站（成批转载他人稿件，不是发布者）"


def host_of(url: str) -> str:
    """Return the lower-case host name of an address, without port or trailing dot."""
    return (urlsplit(url.strip()).hostname or "").rstrip(".").lower()


def refusal(url: str) -> str | None:
    """Return why the site may not cite this address (Chinese), or None when it may."""
    if not isinstance(url, str) or not url.strip():
        return None
    host = host_of(url)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return f"地址 {host} 是裸 IP 地址，无法确认发布者"
    for denied, what in [*DENIED_HOSTS.items(), *((h, REPOST_REASON) for h in REPOST_HOSTS)]:
        if host == denied or host.endswith("." + denied):
            return f"{host} 是{what}，不得引用"
    if host.split(".")[0] in BLOG_LABELS:
        return f"{host} 是个人博客，不得引用"
    return None


def check_sources(sources: pd.DataFrame) -> list[tuple[str, int | None, str, str]]:
    """Return (file, spreadsheet row, column, message) for every refused source address.

    ``sources.attrs["origin"]`` (set by validation) maps each row to its file and spreadsheet
    row; without it the file is ``sources.csv`` and the row is the index plus two.
    """
    origin = sources.attrs.get("origin")
    found = []
    for i, url in sources["url"].items():
        reason = refusal(url)
        if reason is None:
            continue
        file, row = origin[i] if origin is not None else ("sources.csv", int(i) + 2)
        found.append(
            (
                file,
                row,
                "url",
                f"来源 {sources.at[i, 'id']} 的网址不符合来源政策：{reason}。"
                "请改用政府网站、发布机构或主流媒体刊载的原文，找不到就删除这一来源及其数字",
            )
        )
    return found


def check(tables: dict[str, pd.DataFrame], root=None) -> list:
    """The validation hook (``core.validate.extra_checks``): refused sources as problems."""
    from analysis.core.validate import Problem

    if "sources" not in tables:
        return []
    return [Problem(*found) for found in check_sources(tables["sources"])]
