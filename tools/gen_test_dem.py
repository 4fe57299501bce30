#!/usr/bin/env python3
"""Generate the terrain (DEM) GeoTIFFs used by iadsim-geo's terrain tests and default scenario.

Run from the workspace root:

    pip install -r tools/requirements-dem.txt
    python3 tools/gen_test_dem.py

Writes

* crates/geo/tests/fixtures/ridge.tif -- 200 x 200 posts, 3 arc-second, Int16, strips,
  uncompressed, PixelIsArea: flat ground at 50 m with one north-south ridge rising to 600 m, and a
  3 x 3 block of nodata (-32768) in the south-west corner. Heights follow `ridge_height_m` below
  (rounded to the nearest metre); the Rust test evaluates the same formula.
* crates/geo/tests/fixtures/ridge_point.tif -- the same posts written as PixelIsPoint (tiepoint on
  the centre of the first post): it must read back to the same heights at the same places.
* crates/geo/tests/fixtures/ridge_f32_tiled_deflate.tif -- the same heights as Float32, 64 x 64
  tiles, Deflate, horizontal predictor off, GDAL_NODATA "nan"-free (nodata stays -32768).
* crates/geo/tests/fixtures/projected_utm38n.tif -- a tiny projected raster (UTM 38N, EPSG 32638)
  that the reader must reject.
* crates/geo/tests/fixtures/plain.tif -- a tiny TIFF with no GeoTIFF tags.
* data/dem/baghdad-synthetic.tif -- a SYNTHETIC 30 arc-second DEM over lat 31.5-35.0,
  lon 40.5-45.5 (420 x 600 posts, Int16, Deflate). Invented terrain, not a measurement: see
  data/dem/README.md.

All output is deterministic (closed-form terrain, no random numbers).
"""

import math
import os

import numpy as np
import tifffile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "crates", "geo", "tests", "fixtures")
DATA = os.path.join(ROOT, "data", "dem")

NODATA = -32768

# GeoTIFF tag and key codes (OGC GeoTIFF 1.1, OGC 19-008r4, tables in section 7 and annex).
TAG_PIXEL_SCALE = 33550
TAG_TIEPOINT = 33922
TAG_GEOKEYS = 34735
TAG_GDAL_NODATA = 42113
KEY_MODEL_TYPE = 1024  # GTModelTypeGeoKey: 1 projected, 2 geographic
KEY_RASTER_TYPE = 1025  # GTRasterTypeGeoKey: 1 PixelIsArea, 2 PixelIsPoint
KEY_GEOGRAPHIC_TYPE = 2048  # GeographicTypeGeoKey: 4326 = WGS 84
KEY_ANGULAR_UNITS = 2054  # GeogAngularUnitsGeoKey: 9102 = degree
KEY_PROJECTED_CS_TYPE = 3072  # ProjectedCSTypeGeoKey

# --- the ridge fixture -------------------------------------------------------------------------
RIDGE_ROWS = 200
RIDGE_COLS = 200
RIDGE_STEP_DEG = 3.0 / 3600.0
# Outer edges of the raster (PixelIsArea): the north-west corner of the first pixel.
RIDGE_NORTH_EDGE_DEG = 33.5
RIDGE_WEST_EDGE_DEG = 44.0
RIDGE_CREST_LON_DEG = 44.0 + 100.5 / 1200.0  # centre of column 100
RIDGE_MID_LAT_DEG = 33.5 - 100.5 / 1200.0  # centre of row 100
RIDGE_HALF_WIDTH_M = 600.0  # e-folding half-width of the Gaussian cross-section
M_PER_DEG = 111_320.0  # fixed scale for the formula only (not geodesy)


def ridge_height_m(lat_deg, lon_deg):
    """Ground at 50 m plus a Gaussian north-south ridge, 550 m high at its middle latitude and
    10 % lower at the north and south edges. Before rounding to whole metres."""
    x_m = (lon_deg - RIDGE_CREST_LON_DEG) * M_PER_DEG * math.cos(math.radians(RIDGE_MID_LAT_DEG))
    v = (lat_deg - RIDGE_MID_LAT_DEG) / (100.0 / 1200.0)
    crest = 550.0 * (1.0 - 0.1 * v * v)
    return 50.0 + crest * np.exp(-((x_m / RIDGE_HALF_WIDTH_M) ** 2))


def post_centres(north_edge, west_edge, step, rows, cols):
    lat = north_edge - (np.arange(rows) + 0.5) * step
    lon = west_edge + (np.arange(cols) + 0.5) * step
    return np.meshgrid(lat, lon, indexing="ij")


def geokeys(model_type, raster_type, extra):
    keys = [(KEY_MODEL_TYPE, model_type), (KEY_RASTER_TYPE, raster_type)] + extra
    keys.sort()
    out = [1, 1, 0, len(keys)]
    for k, v in keys:
        out += [k, 0, 1, v]
    return out


def geo_tags(scale, tiepoint, keys, nodata=None):
    tags = [
        (TAG_PIXEL_SCALE, "d", 3, scale, True),
        (TAG_TIEPOINT, "d", 6, tiepoint, True),
        (TAG_GEOKEYS, "H", len(keys), keys, True),
    ]
    if nodata is not None:
        tags.append((TAG_GDAL_NODATA, "s", 0, str(nodata), True))
    return tags


def write(path, data, tags, **kw):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tifffile.imwrite(path, data, extratags=tags, photometric="minisblack", metadata=None, **kw)
    print("wrote %s (%d bytes)" % (os.path.relpath(path, ROOT), os.path.getsize(path)))


def ridge():
    lat, lon = post_centres(
        RIDGE_NORTH_EDGE_DEG, RIDGE_WEST_EDGE_DEG, RIDGE_STEP_DEG, RIDGE_ROWS, RIDGE_COLS
    )
    h = np.rint(ridge_height_m(lat, lon)).astype(np.int16)
    h[190:193, 5:8] = NODATA
    geographic = [(KEY_GEOGRAPHIC_TYPE, 4326), (KEY_ANGULAR_UNITS, 9102)]
    scale = (RIDGE_STEP_DEG, RIDGE_STEP_DEG, 0.0)

    # PixelIsArea: raster point (0, 0) is the outer corner of the first pixel.
    area_tie = (0.0, 0.0, 0.0, RIDGE_WEST_EDGE_DEG, RIDGE_NORTH_EDGE_DEG, 0.0)
    write(
        os.path.join(FIXTURES, "ridge.tif"),
        h,
        geo_tags(scale, area_tie, geokeys(2, 1, geographic), NODATA),
    )
    # PixelIsPoint: raster point (0, 0) is the first post itself.
    point_tie = (
        0.0,
        0.0,
        0.0,
        RIDGE_WEST_EDGE_DEG + 0.5 * RIDGE_STEP_DEG,
        RIDGE_NORTH_EDGE_DEG - 0.5 * RIDGE_STEP_DEG,
        0.0,
    )
    write(
        os.path.join(FIXTURES, "ridge_point.tif"),
        h,
        geo_tags(scale, point_tie, geokeys(2, 2, geographic), NODATA),
    )
    write(
        os.path.join(FIXTURES, "ridge_f32_tiled_deflate.tif"),
        h.astype(np.float32),
        geo_tags(scale, area_tie, geokeys(2, 1, geographic), NODATA),
        tile=(64, 64),
        compression="zlib",
    )
    # A projected raster: UTM zone 38N, 30 m pixels near Baghdad.
    write(
        os.path.join(FIXTURES, "projected_utm38n.tif"),
        np.full((4, 4), 40, np.int16),
        geo_tags(
            (30.0, 30.0, 0.0),
            (0.0, 0.0, 0.0, 440_000.0, 3_690_000.0, 0.0),
            geokeys(1, 1, [(KEY_PROJECTED_CS_TYPE, 32638)]),
        ),
    )
    write(os.path.join(FIXTURES, "plain.tif"), np.full((4, 4), 7, np.int16), [])


# --- the synthetic Baghdad-area DEM ------------------------------------------------------------
BAG_NORTH, BAG_SOUTH, BAG_WEST, BAG_EAST = 35.0, 31.5, 40.5, 45.5
BAG_STEP_DEG = 30.0 / 3600.0


def gaussian(lat, lon, lat0, lon0, sigma_lat, sigma_lon):
    return np.exp(-(((lat - lat0) / sigma_lat) ** 2) - ((lon - lon0) / sigma_lon) ** 2)


def distance_to_polyline_deg(lat, lon, pts):
    """Distance (in 'equirectangular degrees' at 33 N) from each grid point to a polyline."""
    c = math.cos(math.radians(33.0))
    lat, lon = np.broadcast_arrays(np.asarray(lat, float), np.asarray(lon, float))
    best = np.full(lat.shape, np.inf)
    for (la1, lo1), (la2, lo2) in zip(pts[:-1], pts[1:]):
        ax, ay = lo1 * c, la1
        bx, by = lo2 * c, la2
        px, py = lon * c, lat
        dx, dy = bx - ax, by - ay
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
        d = np.hypot(px - (ax + t * dx), py - (ay + t * dy))
        best = np.minimum(best, d)
    return best


def baghdad_height_m(lat, lon):
    """Invented, smooth terrain loosely shaped like central Iraq (NOT real elevations)."""
    # Mesopotamian plain: ~35 m at Baghdad, falling south-east, rising gently north.
    plain = 35.0 + 22.0 * (lat - 33.3) - 6.0 * (lon - 44.4)
    # Westward rise to the Anbar plateau: ~0 east of 43.6 E, ~300 m at 42 E, ~600 m at 40.5 E.
    w = np.clip(43.6 - lon, 0.0, None)
    plateau = 550.0 * (1.0 - np.exp(-((w / 2.2) ** 1.6)))
    plateau *= 1.0 / (1.0 - math.exp(-((3.1 / 2.2) ** 1.6)))  # 550 m above the plain at 40.5 E
    # Low hills: an invented NW-SE ridge line north-east of Baghdad and a few knolls in the west.
    hills = 220.0 * np.exp(-((distance_to_polyline_deg(lat, lon, [(34.6, 44.2), (34.0, 45.3)]) / 0.08) ** 2))
    hills += 120.0 * gaussian(lat, lon, 33.9, 42.3, 0.15, 0.2)
    hills += 90.0 * gaussian(lat, lon, 32.6, 41.6, 0.2, 0.25)
    hills += 60.0 * gaussian(lat, lon, 34.5, 41.2, 0.12, 0.12)
    # Wadis: shallow valleys cut into the plateau, running east towards the rivers.
    wadi = 60.0 * np.exp(-((distance_to_polyline_deg(lat, lon, [(33.2, 40.5), (33.0, 42.0), (33.3, 43.4)]) / 0.05) ** 2))
    wadi += 40.0 * np.exp(-((distance_to_polyline_deg(lat, lon, [(32.3, 40.8), (32.6, 42.4), (32.9, 43.6)]) / 0.05) ** 2))
    # A closed depression (lake basin) west of the rivers.
    basin = 25.0 * gaussian(lat, lon, 33.3, 43.55, 0.07, 0.09)
    # Gentle undulation so that the plain is not a perfect plane.
    ripple = 4.0 * np.sin(lat * 7.3 + lon * 3.1) + 3.0 * np.sin(lat * 2.9 - lon * 6.7 + 1.0)
    h = plain + plateau + hills - wadi * np.clip(w / 0.5, 0.0, 1.0) - basin + ripple
    return np.clip(h, 5.0, None)


def baghdad():
    rows = int(round((BAG_NORTH - BAG_SOUTH) / BAG_STEP_DEG))
    cols = int(round((BAG_EAST - BAG_WEST) / BAG_STEP_DEG))
    lat, lon = post_centres(BAG_NORTH, BAG_WEST, BAG_STEP_DEG, rows, cols)
    h = np.rint(baghdad_height_m(lat, lon)).astype(np.int16)
    write(
        os.path.join(DATA, "baghdad-synthetic.tif"),
        h,
        geo_tags(
            (BAG_STEP_DEG, BAG_STEP_DEG, 0.0),
            (0.0, 0.0, 0.0, BAG_WEST, BAG_NORTH, 0.0),
            geokeys(2, 1, [(KEY_GEOGRAPHIC_TYPE, 4326), (KEY_ANGULAR_UNITS, 9102)]),
            NODATA,
        ),
        compression="zlib",
        rowsperstrip=16,
    )
    print(
        "baghdad-synthetic: %d x %d posts, heights %d..%d m, Baghdad (33.3, 44.4) ~ %.0f m"
        % (rows, cols, h.min(), h.max(), float(baghdad_height_m(33.3, 44.4)))
    )


if __name__ == "__main__":
    ridge()
    baghdad()
