"""The methods page (方法与来源): the source policy written for readers."""

from __future__ import annotations

from html import escape

from analysis.core.source_policy import BLOG_LABELS, DENIED_HOSTS, REPOST_HOSTS, REPOST_REASON
from analysis.render.html import Html


def policy_table() -> Html:
    """Render the deny-list for the methods page: one row per refused host or kind of address.

    Host names are set as code (``<code>``), like the other addresses on the methods page.
    """
    rows = [(f"<code>{escape(h)}</code> 及其子域名", what) for h, what in DENIED_HOSTS.items()]
    rows.append(("纯数字网址（如 <code>http://1.2.3.4/</code>）", "无法确认发布者"))
    rows += [
        (f"以 <code>{escape(label)}.</code> 开头的网站", "个人博客平台")
        for label in sorted(BLOG_LABELS)
    ]
    repost = "、".join(f"<code>{escape(h)}</code>" for h in sorted(REPOST_HOSTS))
    rows.append((f"{repost} 及其子域名", REPOST_REASON))
    body = "".join(f"<tr><td>{where}</td><td>{escape(why)}</td></tr>" for where, why in rows)
    caption = "来源政策：不得引用的网站和地址类型"
    return Html(
        f'<div class="atlas-table-wrap" tabindex="0" role="region" aria-label="{caption}">'
        f'<table class="atlas-table"><caption>{caption}</caption>'
        '<thead><tr><th scope="col">网站或地址</th><th scope="col">原因</th></tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
