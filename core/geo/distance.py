"""Great-circle distances between points given as longitude/latitude in degrees."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the array functions import numpy themselves: haversine_km stays light
    import numpy as np
    import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088
EARTH_RADIUS_M = 6_371_008.8


def haversine_km(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Distance in kilometres along the earth's surface."""
    dlat = radians(lat2 - lat1)
    dlng = radians(lng2 - lng1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


def haversine_m(lng1: npt.NDArray[np.float64], lat1: npt.NDArray[np.float64],
                lng2: npt.NDArray[np.float64],
                lat2: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Metres from point 1 to point 2, element by element (numpy broadcasting)."""
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlng = np.radians(lng2) - np.radians(lng1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlng / 2) ** 2
    metres: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return metres
