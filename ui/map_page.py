"""The map's base HTML page, built once per process with folium from vendored, offline assets.

folium links Leaflet, jQuery, Bootstrap and its plugins from CDNs; the subclasses below point it at
the files in resources/web instead (and drop jQuery/Bootstrap, which nothing here uses), so the
page renders with no network. Markers are not part of the page: ui.map_view pushes them in with
the JavaScript API in resources/web/lastmile_map.js.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import folium
import folium.plugins
from folium.elements import MacroElement
from folium.template import Template

from core.orders.lifecycle import OrderState

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
WEB = RESOURCES / "web"
BOUNDARIES = RESOURCES / "regions" / "boundaries.geojson"
QWEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"
CHINA_CENTRE = (35.0, 105.0)
MAX_ZOOM = 18


@dataclass(frozen=True)
class StateFamily:
    """A group of lifecycle states that share one marker colour."""

    key: str
    colour: str
    states: frozenset[OrderState]


S = OrderState
FAMILIES = (
    StateFamily(
        "waiting", "#f57c00", frozenset({S.NEW, S.AUDITED, S.PLACED, S.CLASSIFIED, S.DISPATCHING})
    ),
    StateFamily("assigned", "#1e88e5", frozenset({S.ASSIGNED, S.ACCEPTED})),
    StateFamily("on_site", "#8e24aa", frozenset({S.APPOINTED, S.CHECKED_IN})),
    StateFamily(
        "served",
        "#43a047",
        frozenset({S.SERVED, S.VERIFIED, S.IN_REVIEW, S.SETTLEABLE, S.SETTLED, S.CLOSED}),
    ),
    StateFamily("frozen", "#9e9e9e", frozenset({S.FROZEN})),
    # Not an open order; shown darker than frozen in case a caller puts one on the map.
    StateFamily("cancelled", "#546e7a", frozenset({S.CANCELLED})),
)
UNKNOWN_COLOUR = "#9e9e9e"
# Technician load / capacity: green below 50 %, amber below 90 %, red from 90 %.
TECH_COLOURS = {"low": "#43a047", "mid": "#ffb300", "high": "#e53935"}


def family_of(state: str) -> StateFamily | None:
    return next((f for f in FAMILIES if state in f.states), None)


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


# folium declares these as plain class lists; a ClassVar annotation here would clash with that.
class _OfflineMap(folium.Map):
    default_js = [  # noqa: RUF012
        ("leaflet", file_url(WEB / "leaflet" / "leaflet.js")),
        ("markercluster", file_url(WEB / "markercluster" / "leaflet.markercluster.js")),
        ("qwebchannel", QWEBCHANNEL_JS),
        ("lastmile_map", file_url(WEB / "lastmile_map.js")),
        ("lastmile_routes", file_url(WEB / "lastmile_routes.js")),  # after lastmile_map
    ]
    default_css = [  # noqa: RUF012
        ("leaflet_css", file_url(WEB / "leaflet" / "leaflet.css")),
        ("markercluster_css", file_url(WEB / "markercluster" / "MarkerCluster.css")),
        ("lastmile_map_css", file_url(WEB / "lastmile_map.css")),
        ("lastmile_routes_css", file_url(WEB / "lastmile_routes.css")),
    ]


class _OfflineMarkerCluster(folium.plugins.MarkerCluster):
    # The map already loads these; listing the same names again makes folium skip duplicates.
    default_js = [  # noqa: RUF012
        ("markercluster", file_url(WEB / "markercluster" / "leaflet.markercluster.js")),
    ]
    default_css = [  # noqa: RUF012
        ("markercluster_css", file_url(WEB / "markercluster" / "MarkerCluster.css")),
    ]


class _PageInit(MacroElement):
    """Hands the map, cluster and boundary layers to lastmile.init once folium created them."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "lastmile.init({{ this.map_name }}, {{ this.cluster_name }}, {{ this.geojson_name }});"
        "{% endmacro %}"
    )

    def __init__(self, map_name: str, cluster_name: str, geojson_name: str) -> None:
        super().__init__()
        self._name = "LastmilePageInit"
        self.map_name = map_name
        self.cluster_name = cluster_name
        self.geojson_name = geojson_name


_STYLES: dict[str, dict[str, Any]] = {
    "province": {"color": "#90a4ae", "weight": 1, "fillColor": "#f7f5ef", "fillOpacity": 1.0},
    "maritime": {"color": "#90a4ae", "weight": 1.5, "dashArray": "6 4"},
    "city": {"color": "#546e7a", "weight": 2, "fill": False},
    # Filled but transparent, so hovering anywhere in a district shows its name.
    "county": {"color": "#b0bec5", "weight": 0.8, "fillColor": "#ffffff", "fillOpacity": 0.0},
}


def _boundary_style(feature: dict[str, Any]) -> dict[str, Any]:
    return _STYLES.get(feature["properties"]["level"], _STYLES["county"])


def build_html() -> str:
    """The page's HTML: offline Leaflet, one marker cluster, the boundary layer, no markers."""
    fmap = _OfflineMap(location=CHINA_CENTRE, zoom_start=4, tiles=None, prefer_canvas=True)
    # Without tiles Leaflet has no maxZoom and markercluster refuses to cluster.
    fmap.options["max_zoom"] = MAX_ZOOM
    fmap.options["min_zoom"] = 3
    cluster = _OfflineMarkerCluster(
        icon_create_function="lastmile.clusterIcon",
        options={"showCoverageOnHover": False, "maxClusterRadius": 60},
    ).add_to(fmap)
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    geojson = folium.GeoJson(
        data,
        name="boundaries",
        style_function=_boundary_style,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        control=False,
    ).add_to(fmap)
    fmap.add_child(_PageInit(fmap.get_name(), cluster.get_name(), geojson.get_name()))
    return str(fmap.get_root().render())


@cache
def page_path() -> Path:
    """The built page, written once per process to a temporary directory removed at exit."""
    # A file (not setHtml) because setHtml caps content at 2 MB and gives no file:// access.
    directory = Path(tempfile.mkdtemp(prefix="lastmile-map-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    path = directory / "map.html"
    path.write_text(build_html(), encoding="utf-8")
    return path
