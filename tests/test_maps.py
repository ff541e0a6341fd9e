"""folium maps are embedded with the site's own Leaflet, no tiles and stable ids."""

from __future__ import annotations

import json
import re

from analysis.chapters import counties as county_maps
from analysis.render import maps


def test_county_map_is_offline_and_deterministic(real_data):
    first, second = str(county_maps.interactive_map()), str(county_maps.interactive_map())
    assert first == second
    assert not re.search(r'(src|href)="(https?:)?//', first)
    assert "tileLayer" not in first
    assert "window.atlasMaps" in first
    assert 'class="folium-map atlas-leaflet"' in first


def test_county_map_has_nine_counties_with_escaped_names(real_data):
    html = str(county_maps.interactive_map())
    codes = set(re.findall(r'"adcode": "(3310\d\d)"', html))
    assert len(codes) == 9
    assert json.dumps("玉环市")[1:-1] in html  # names travel as JSON strings


def test_embed_map_sets_height_and_label():
    fmap = maps.base_map([[28.0, 120.0], [29.0, 121.0]])
    html = str(
        maps.embed_map(fmap, name="t", title="T", description="说明<", height=321, caption_html="c")
    )
    assert "height: 321px" in html
    assert 'aria-label="说明&lt;"' in html
