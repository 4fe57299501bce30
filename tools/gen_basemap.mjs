// Regenerates data/basemap/ne_50m_middle_east.geojson from Natural Earth 1:50m, as packaged in the
// npm package `world-atlas` (TopoJSON), for the coverage-map renderer (crates/plot/src/map/).
//
// Usage (see data/basemap/README.md):
//   cd "$(mktemp -d)" && npm install world-atlas@2.0.2 topojson-client@3.1.0 \
//     && node /work/main/tools/gen_basemap.mjs > /work/main/data/basemap/ne_50m_middle_east.geojson
//
// The packages are resolved from the current directory's node_modules, so the script itself needs
// no install beside it. Output is deterministic for a given package version.
//
// What it writes (one FeatureCollection, coordinates [lon_deg, lat_deg] WGS-84, 3 decimals):
//   kind = "land"          MultiPolygon, land clipped to the bounding box (fill)
//   kind = "coastline"     MultiLineString, land outline clipped to the box (stroke)
//   kind = "border"        MultiLineString per pair of neighbouring countries (`countries` = "A|B")
//   kind = "country_label" Point, an interior label point of a country's largest part in the box
//
// Simplification: every TopoJSON arc is Douglas-Peucker simplified once (tolerance below) before
// features are built, so a border shared by two countries stays identical on both sides.

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "noop.js"));
const topojson = require("topojson-client");
const worldAtlasPkg = JSON.parse(
  readFileSync(require.resolve("world-atlas/package.json"), "utf8"),
);
const countries = JSON.parse(
  readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"),
);

/** lon_min, lat_min, lon_max, lat_max, degrees. */
const BBOX = [25, 10, 65, 45];
/** Douglas-Peucker tolerance, degrees (0.005 deg ~ 0.55 km, ~1.5 px on a 4 deg wide, 1200 px map). */
const TOLERANCE_DEG = 0.005;
/** Output rounding: 3 decimals = 0.001 deg ~ 110 m. */
const ROUND = 1000;

// ---- decode quantised arcs to absolute coordinates, then simplify each arc ----
function decodeAndSimplify(topo) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  topo.arcs = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    const abs = arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
    return douglasPeucker(abs, TOLERANCE_DEG);
  });
  delete topo.transform;
}

function douglasPeucker(pts, tol) {
  if (pts.length <= 2) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = 1;
  keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [i0, i1] = stack.pop();
    const [ax, ay] = pts[i0];
    const [bx, by] = pts[i1];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let best = -1;
    let bestD = tol;
    for (let i = i0 + 1; i < i1; i++) {
      const [px, py] = pts[i];
      let d;
      if (len2 === 0) {
        d = Math.hypot(px - ax, py - ay);
      } else {
        const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        d = Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
      }
      if (d > bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best >= 0) {
      keep[best] = 1;
      stack.push([i0, best], [best, i1]);
    }
  }
  // A closed ring (single-arc island) keeps at least 4 points so it stays a polygon.
  const out = pts.filter((_, i) => keep[i]);
  if (out.length < 4 && pts.length >= 4 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) {
    const q = Math.floor(pts.length / 3);
    return [pts[0], pts[q], pts[2 * q], pts[pts.length - 1]];
  }
  return out;
}

// ---- clipping to the bounding box ----
const [X0, Y0, X1, Y1] = BBOX;
const inside = ([x, y]) => x >= X0 && x <= X1 && y >= Y0 && y <= Y1;

/** Sutherland-Hodgman clip of one ring to the box (fine for fills; may leave edges on the box). */
function clipRing(ring) {
  const edges = [
    (p) => p[0] >= X0, (a, b) => lerpX(a, b, X0),
    (p) => p[0] <= X1, (a, b) => lerpX(a, b, X1),
    (p) => p[1] >= Y0, (a, b) => lerpY(a, b, Y0),
    (p) => p[1] <= Y1, (a, b) => lerpY(a, b, Y1),
  ];
  let out = ring.slice(0, -1);
  for (let e = 0; e < 8 && out.length; e += 2) {
    const isIn = edges[e];
    const cut = edges[e + 1];
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (isIn(cur)) {
        if (!isIn(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (isIn(prev)) {
        out.push(cut(prev, cur));
      }
    }
  }
  if (out.length < 3) return null;
  out.push(out[0]);
  return out;
}
const lerpX = (a, b, x) => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
const lerpY = (a, b, y) => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];

/** Liang-Barsky clip of a polyline; returns the pieces inside the box. */
function clipLine(line) {
  const pieces = [];
  let cur = [];
  for (let i = 0; i + 1 < line.length; i++) {
    const seg = clipSegment(line[i], line[i + 1]);
    if (!seg) {
      if (cur.length > 1) pieces.push(cur);
      cur = [];
      continue;
    }
    const [a, b] = seg;
    if (cur.length && (cur[cur.length - 1][0] !== a[0] || cur[cur.length - 1][1] !== a[1])) {
      if (cur.length > 1) pieces.push(cur);
      cur = [];
    }
    if (!cur.length) cur.push(a);
    cur.push(b);
  }
  if (cur.length > 1) pieces.push(cur);
  return pieces;
}
function clipSegment(a, b) {
  let t0 = 0;
  let t1 = 1;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const checks = [
    [-dx, a[0] - X0], [dx, X1 - a[0]], [-dy, a[1] - Y0], [dy, Y1 - a[1]],
  ];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const r = q / p;
      if (p < 0) t0 = Math.max(t0, r);
      else t1 = Math.min(t1, r);
    }
  }
  if (t0 > t1) return null;
  const at = (t) => (t === 0 ? a : t === 1 ? b : [a[0] + t * dx, a[1] + t * dy]);
  return [at(t0), at(t1)];
}

// ---- helpers ----
const round = (v) => Math.round(v * ROUND) / ROUND;
const roundPts = (pts) => {
  const out = [];
  for (const [x, y] of pts) {
    const p = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
};
const polygonsOf = (geom) =>
  geom.type === "Polygon" ? [geom.coordinates] : geom.type === "MultiPolygon" ? geom.coordinates : [];
const linesOf = (geom) =>
  geom.type === "LineString" ? [geom.coordinates] : geom.type === "MultiLineString" ? geom.coordinates : [];

function clipPolygons(polys) {
  const out = [];
  for (const poly of polys) {
    const ext = clipRing(poly[0]);
    if (!ext) continue;
    const rings = [roundPts(ext)];
    for (const hole of poly.slice(1)) {
      const h = clipRing(hole);
      if (h) rings.push(roundPts(h));
    }
    if (rings[0].length >= 4) out.push(rings.filter((r) => r.length >= 4));
  }
  return out;
}
function clipLines(lines) {
  return lines.flatMap(clipLine).map(roundPts).filter((l) => l.length >= 2);
}
function ringArea(r) {
  let a = 0;
  for (let i = 0; i + 1 < r.length; i++) a += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return a / 2;
}
function pointInRing([x, y], r) {
  let c = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i];
    const [xj, yj] = r[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}
function distToRing([x, y], r) {
  let best = Infinity;
  for (let i = 0; i + 1 < r.length; i++) {
    const [ax, ay] = r[i];
    const [bx, by] = r[i + 1];
    const dx = bx - ax;
    const dy = by - ay;
    const l2 = dx * dx + dy * dy;
    const t = l2 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / l2)) : 0;
    best = Math.min(best, Math.hypot(x - ax - t * dx, y - ay - t * dy));
  }
  return best;
}
/** Interior point farthest from the ring's edge on a 0.05 deg grid (a cheap pole of inaccessibility). */
function labelPoint(ring) {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const step = Math.max(0.05, Math.max(x1 - x0, y1 - y0) / 60);
  let best = null;
  let bestD = -1;
  for (let y = y0 + step / 2; y < y1; y += step) {
    for (let x = x0 + step / 2; x < x1; x += step) {
      if (!pointInRing([x, y], ring)) continue;
      const d = distToRing([x, y], ring);
      if (d > bestD) {
        bestD = d;
        best = [x, y];
      }
    }
  }
  return best ? { point: [round(best[0]), round(best[1])], clearance: bestD } : null;
}

// ---- build ----
decodeAndSimplify(countries);
const features = [];

const land = topojson.feature(countries, countries.objects.land);
const landPolys = clipPolygons(
  (land.type === "FeatureCollection" ? land.features : [land]).flatMap((f) => polygonsOf(f.geometry)),
);
features.push({ type: "Feature", properties: { kind: "land" }, geometry: { type: "MultiPolygon", coordinates: landPolys } });

const coast = topojson.mesh(countries, countries.objects.land);
features.push({ type: "Feature", properties: { kind: "coastline" }, geometry: { type: "MultiLineString", coordinates: clipLines(linesOf(coast)) } });

const geoms = countries.objects.countries.geometries;
const neighbours = topojson.neighbors(geoms);
const nameOf = (i) => geoms[i].properties?.name ?? `#${geoms[i].id ?? i}`;
const pairs = [];
neighbours.forEach((ns, i) => ns.forEach((j) => { if (i < j) pairs.push([i, j]); }));
pairs.sort((p, q) => (nameOf(p[0]) + nameOf(p[1])).localeCompare(nameOf(q[0]) + nameOf(q[1])));
for (const [i, j] of pairs) {
  const a = geoms[i];
  const b = geoms[j];
  const mesh = topojson.mesh(countries, countries.objects.countries, (p, q) => (p === a && q === b) || (p === b && q === a));
  const lines = clipLines(linesOf(mesh));
  if (!lines.length) continue;
  const names = [nameOf(i), nameOf(j)].sort();
  features.push({ type: "Feature", properties: { kind: "border", countries: names.join("|") }, geometry: { type: "MultiLineString", coordinates: lines } });
}

const labels = [];
geoms.forEach((g, i) => {
  const f = topojson.feature(countries, g);
  const polys = clipPolygons(polygonsOf(f.geometry));
  if (!polys.length) return;
  const largest = polys.reduce((p, q) => (Math.abs(ringArea(q[0])) > Math.abs(ringArea(p[0])) ? q : p));
  const lp = labelPoint(largest[0]);
  // Skip slivers (a country barely inside the box, or a tiny island): no room for a name.
  if (!lp || lp.clearance < 0.3) return;
  labels.push({ type: "Feature", properties: { kind: "country_label", name: nameOf(i), clearance_deg: round(lp.clearance) }, geometry: { type: "Point", coordinates: lp.point } });
});
labels.sort((p, q) => p.properties.name.localeCompare(q.properties.name));
features.push(...labels);

const out = {
  type: "FeatureCollection",
  bbox: BBOX,
  metadata: {
    source: "Natural Earth 1:50m Cultural/Physical vectors (public domain), via npm world-atlas (ISC)",
    world_atlas_version: worldAtlasPkg.version,
    simplification_tolerance_deg: TOLERANCE_DEG,
    generator: "tools/gen_basemap.mjs",
  },
  features,
};
process.stdout.write(JSON.stringify(out) + "\n");
