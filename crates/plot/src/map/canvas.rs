//! The map's canvas: an RGB buffer plus a coverage mask into which polygons, strokes and glyphs
//! are rasterised with anti-aliasing and blended once per shape; text fitting and wrapping.

use super::geometry::Rect;
use super::{HALO_RADIUS_PX, HALO_RGB, SUBSAMPLES};
use crate::font::{self, FontMetrics};
use crate::style::Rgb;

pub(super) struct Canvas {
    pub(super) w: usize,
    pub(super) h: usize,
    pub(super) rgb: Vec<u8>,
    /// Coverage in `[0, 1]` of the shape being built; blended by [`Canvas::paint`].
    pub(super) mask: Vec<f32>,
    /// Pixel box of the mask's non-zero part: x0, y0, x1, y1 (exclusive); empty when x0 >= x1.
    pub(super) dirty: (usize, usize, usize, usize),
    /// Glyph advances and bearings of the embedded font; `None` if it could not be loaded
    /// (text is omitted then).
    pub(super) metrics: Option<&'static FontMetrics>,
}

impl Canvas {
    pub(super) fn new(w: usize, h: usize, bg: Rgb) -> Canvas {
        let mut rgb = Vec::with_capacity(w * h * 3);
        for _ in 0..w * h {
            rgb.extend_from_slice(&[bg.0, bg.1, bg.2]);
        }
        Canvas {
            w,
            h,
            rgb,
            mask: vec![0.0; w * h],
            dirty: (usize::MAX, usize::MAX, 0, 0),
            metrics: font::metrics(),
        }
    }

    pub(super) fn full(&self) -> Rect {
        Rect {
            x0: 0.0,
            y0: 0.0,
            x1: self.w as f64,
            y1: self.h as f64,
        }
    }

    pub(super) fn touch(&mut self, x0: usize, y0: usize, x1: usize, y1: usize) {
        let d = &mut self.dirty;
        *d = (d.0.min(x0), d.1.min(y0), d.2.max(x1), d.3.max(y1));
    }

    /// Pixel index range of `clip`, clamped to the image.
    pub(super) fn clip_px(&self, clip: Rect) -> (usize, usize, usize, usize) {
        let cx = |v: f64| v.clamp(0.0, self.w as f64) as usize;
        let cy = |v: f64| v.clamp(0.0, self.h as f64) as usize;
        (
            cx(clip.x0.floor()),
            cy(clip.y0.floor()),
            cx(clip.x1.ceil()),
            cy(clip.y1.ceil()),
        )
    }

    /// Blends `rgb` at `alpha × mask` over the image and clears the mask.
    pub(super) fn paint(&mut self, rgb: Rgb, alpha: f64) {
        let (x0, y0, x1, y1) = self.dirty;
        if x0 >= x1 || y0 >= y1 {
            self.dirty = (usize::MAX, usize::MAX, 0, 0);
            return;
        }
        let src = [rgb.0 as f32, rgb.1 as f32, rgb.2 as f32];
        let alpha = alpha as f32;
        for y in y0..y1 {
            for x in x0..x1 {
                let i = y * self.w + x;
                let a = self.mask[i] * alpha;
                if a > 0.0 {
                    let px = &mut self.rgb[i * 3..i * 3 + 3];
                    for c in 0..3 {
                        px[c] = (px[c] as f32 + (src[c] - px[c] as f32) * a).round() as u8;
                    }
                }
                self.mask[i] = 0.0;
            }
        }
        self.dirty = (usize::MAX, usize::MAX, 0, 0);
    }

    /// Opaque axis-aligned rectangle, snapped to whole pixels.
    pub(super) fn fill_rect(&mut self, r: Rect, rgb: Rgb) {
        let (x0, y0, x1, y1) = self.clip_px(Rect {
            x0: r.x0.round(),
            y0: r.y0.round(),
            x1: r.x1.round(),
            y1: r.y1.round(),
        });
        for y in y0..y1 {
            for x in x0..x1 {
                let i = (y * self.w + x) * 3;
                self.rgb[i..i + 3].copy_from_slice(&[rgb.0, rgb.1, rgb.2]);
            }
        }
    }

    /// Adds the even-odd interior of `rings` (pixel coordinates) to the mask, inside `clip`.
    pub(super) fn mask_fill(&mut self, rings: &[Vec<(f64, f64)>], clip: Rect) {
        struct Edge {
            x0: f64,
            y0: f64,
            y1: f64,
            dxdy: f64,
        }
        let mut edges = Vec::new();
        for ring in rings {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if a.1 == b.1 {
                    continue;
                }
                let (top, bot) = if a.1 < b.1 { (a, b) } else { (b, a) };
                edges.push(Edge {
                    x0: top.0,
                    y0: top.1,
                    y1: bot.1,
                    dxdy: (bot.0 - top.0) / (bot.1 - top.1),
                });
            }
        }
        if edges.is_empty() {
            return;
        }
        edges.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let (cx0, cy0, cx1, cy1) = self.clip_px(clip);
        let ey0 = edges[0].y0;
        let ey1 = edges.iter().map(|e| e.y1).fold(f64::NEG_INFINITY, f64::max);
        let py0 = cy0.max(ey0.floor().max(0.0) as usize);
        let py1 = cy1.min(ey1.ceil().max(0.0) as usize);
        if py0 >= py1 || cx0 >= cx1 {
            return;
        }
        let (fx0, fx1) = (cx0 as f64, cx1 as f64);
        let weight = 1.0 / SUBSAMPLES as f32;
        let mut acc = vec![0.0f32; self.w];
        let mut active: Vec<usize> = Vec::new();
        let mut next = 0;
        let mut xs: Vec<f64> = Vec::new();
        let (mut dx0, mut dx1) = (usize::MAX, 0);
        for py in py0..py1 {
            let (mut lo, mut hi) = (usize::MAX, 0usize);
            for s in 0..SUBSAMPLES {
                let sy = py as f64 + (s as f64 + 0.5) / SUBSAMPLES as f64;
                while next < edges.len() && edges[next].y0 <= sy {
                    active.push(next);
                    next += 1;
                }
                active.retain(|&i| edges[i].y1 > sy);
                xs.clear();
                xs.extend(
                    active
                        .iter()
                        .map(|&i| edges[i].x0 + (sy - edges[i].y0) * edges[i].dxdy),
                );
                xs.sort_by(f64::total_cmp);
                for pair in xs.chunks_exact(2) {
                    let xa = pair[0].max(fx0);
                    let xb = pair[1].min(fx1);
                    if xb <= xa {
                        continue;
                    }
                    let i0 = xa.floor() as usize;
                    let i1 = xb.floor() as usize;
                    lo = lo.min(i0);
                    hi = hi.max((i1 + 1).min(self.w));
                    if i0 == i1 {
                        acc[i0] += (xb - xa) as f32 * weight;
                    } else {
                        acc[i0] += (i0 as f64 + 1.0 - xa) as f32 * weight;
                        for a in &mut acc[i0 + 1..i1] {
                            *a += weight;
                        }
                        if i1 < self.w {
                            acc[i1] += (xb - i1 as f64) as f32 * weight;
                        }
                    }
                }
            }
            if lo < hi {
                let row = py * self.w;
                let mask_row = &mut self.mask[row + lo..row + hi];
                for (m, a) in mask_row.iter_mut().zip(&mut acc[lo..hi]) {
                    *m = m.max(a.min(1.0));
                    *a = 0.0;
                }
                dx0 = dx0.min(lo);
                dx1 = dx1.max(hi);
                self.touch(dx0, py, dx1, py + 1);
            }
        }
    }

    /// Adds an anti-aliased stroke of `width_px` along `pts` (round joins and caps) to the mask.
    pub(super) fn mask_stroke(&mut self, pts: &[(f64, f64)], width_px: f64, clip: Rect) {
        let r = 0.5 * width_px;
        let (cx0, cy0, cx1, cy1) = self.clip_px(clip);
        for seg in pts.windows(2) {
            let ((ax, ay), (bx, by)) = (seg[0], seg[1]);
            let x0 = (ax.min(bx) - r - 1.0).floor().max(cx0 as f64);
            let x1 = (ax.max(bx) + r + 1.0).ceil().min(cx1 as f64);
            let y0 = (ay.min(by) - r - 1.0).floor().max(cy0 as f64);
            let y1 = (ay.max(by) + r + 1.0).ceil().min(cy1 as f64);
            if x0 >= x1 || y0 >= y1 {
                continue;
            }
            let (x0, x1, y0, y1) = (x0 as usize, x1 as usize, y0 as usize, y1 as usize);
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            for y in y0..y1 {
                let py = y as f64 + 0.5;
                for x in x0..x1 {
                    let px = x as f64 + 0.5;
                    let t = if len2 > 0.0 {
                        (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let d = ((px - ax - t * dx).powi(2) + (py - ay - t * dy).powi(2)).sqrt();
                    let cov = (r + 0.5 - d).clamp(0.0, 1.0) as f32;
                    if cov > 0.0 {
                        let m = &mut self.mask[y * self.w + x];
                        *m = m.max(cov);
                    }
                }
            }
            self.touch(x0, y0, x1, y1);
        }
    }

    pub(super) fn stroke(
        &mut self,
        pts: &[(f64, f64)],
        width_px: f64,
        clip: Rect,
        rgb: Rgb,
        a: f64,
    ) {
        self.mask_stroke(pts, width_px, clip);
        self.paint(rgb, a);
    }

    pub(super) fn fill(&mut self, rings: &[Vec<(f64, f64)>], clip: Rect, rgb: Rgb, a: f64) {
        self.mask_fill(rings, clip);
        self.paint(rgb, a);
    }

    // ---- text ----

    /// Advance width of `text`, pixels (0 without a font).
    pub(super) fn text_width(&self, text: &str, size_px: f64) -> f64 {
        self.metrics.map_or(0.0, |m| m.text_width(text, size_px))
    }

    /// Draws `text` with its left end at `x` and its baseline at `baseline`, optionally over a
    /// halo so it reads on any background (glyph by glyph, see [`font::rasterise`]).
    pub(super) fn text(&mut self, t: &TextRun, rgb: Rgb, halo: bool) {
        let Some(metrics) = self.metrics else {
            return;
        };
        if t.text.is_empty() {
            return;
        }
        // plotters' ab_glyph backend puts the baseline `size / 2` below the given y.
        let y = (t.baseline - 0.5 * t.size_px).round() as i32;
        let (w, h) = (self.w as i32, self.h as i32);
        let mut cov: Vec<(usize, f32)> = Vec::new();
        let drawn = font::rasterise(metrics, t.text, t.size_px, t.x, y, |px, py, a| {
            if px >= 0 && py >= 0 && px < w && py < h && a > 0.0 {
                cov.push((py as usize * w as usize + px as usize, a.min(1.0)));
            }
        });
        if drawn.is_err() {
            return;
        }
        if halo {
            self.mask_halo(&cov);
            self.touch_text(&cov, HALO_RADIUS_PX as usize);
            self.paint(HALO_RGB, 0.85);
        }
        for &(i, c) in &cov {
            let m = &mut self.mask[i];
            *m = (*m + c).min(1.0);
        }
        self.touch_text(&cov, 0);
        self.paint(rgb, 1.0);
    }

    /// Adds the glyph coverage `cov` widened by [`HALO_RADIUS_PX`] to the mask.
    fn mask_halo(&mut self, cov: &[(usize, f32)]) {
        let (w, h) = (self.w as i32, self.h as i32);
        for &(i, c) in cov {
            let (x, y) = ((i % self.w) as i32, (i / self.w) as i32);
            for oy in -HALO_RADIUS_PX..=HALO_RADIUS_PX {
                for ox in -HALO_RADIUS_PX..=HALO_RADIUS_PX {
                    let d2 = ox * ox + oy * oy;
                    if d2 > HALO_RADIUS_PX * HALO_RADIUS_PX + 1 {
                        continue;
                    }
                    let (qx, qy) = (x + ox, y + oy);
                    if qx < 0 || qy < 0 || qx >= w || qy >= h {
                        continue;
                    }
                    let m = &mut self.mask[qy as usize * self.w + qx as usize];
                    *m = m.max(c);
                }
            }
        }
    }

    pub(super) fn touch_text(&mut self, cov: &[(usize, f32)], pad: usize) {
        for &(i, _) in cov {
            let (x, y) = (i % self.w, i / self.w);
            self.touch(
                x.saturating_sub(pad),
                y.saturating_sub(pad),
                (x + pad + 1).min(self.w),
                (y + pad + 1).min(self.h),
            );
        }
    }
}

/// One line of text to draw.
pub(super) struct TextRun<'t> {
    pub(super) text: &'t str,
    pub(super) size_px: f64,
    pub(super) x: f64,
    pub(super) baseline: f64,
}

/// `text` cut with an ellipsis to fit `max_w` pixels.
pub(super) fn fit_text(canvas: &Canvas, text: &str, size_px: f64, max_w: f64) -> String {
    if canvas.text_width(text, size_px) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    for n in (0..chars.len()).rev() {
        let s: String = chars[..n].iter().collect::<String>() + "…";
        if canvas.text_width(&s, size_px) <= max_w {
            return s;
        }
    }
    String::new()
}

/// Greedy word wrap of `text` into lines of at most `max_w` pixels (long words are cut).
pub(super) fn wrap_text(canvas: &Canvas, text: &str, size_px: f64, max_w: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if canvas.text_width(&cand, size_px) <= max_w || cur.is_empty() {
            cur = cand;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
        .into_iter()
        .map(|l| fit_text(canvas, &l, size_px, max_w))
        .collect()
}
