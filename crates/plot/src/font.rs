//! The embedded font (DejaVu Sans) and text layout glyph by glyph.
//!
//! Plotters supplies the glyph outlines (`ab_glyph`), but its own layout drops each glyph's left
//! side bearing and truncates the pen position, which spaces letters unevenly ("synt hetic").
//! So text is laid out here from the font's own horizontal metrics ([`FontMetrics`], read from
//! the TrueType tables) and each glyph is rasterised alone at its pen position.

use plotters::style::{register_font, FontDesc, FontError, FontFamily, FontStyle};
use std::sync::OnceLock;

/// DejaVu Sans 2.37 (Bitstream Vera licence, `data/basemap/LICENSE-DejaVu.txt`).
pub(crate) const FONT_TTF: &[u8] = include_bytes!("../../../data/basemap/DejaVuSans.ttf");
/// Family name the embedded font is registered under in plotters.
pub(crate) const FONT_FAMILY: &str = "sans-serif";

/// Registers the embedded font once per process; false (text omitted) if it cannot be parsed.
fn fonts_registered() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(|| register_font(FONT_FAMILY, FontStyle::Normal, FONT_TTF).is_ok())
}

/// Horizontal metrics of a TrueType font, read from its `head`, `hhea`, `OS/2`, `hmtx` and `cmap`
/// tables (OpenType spec, <https://learn.microsoft.com/typography/opentype/spec/>). Scaled the way
/// `ab_glyph` scales: one pixel of font size is `ascender − descender` font units.
pub(crate) struct FontMetrics {
    data: &'static [u8],
    /// Start of the chosen `cmap` subtable and its format (4 or 12).
    cmap: (usize, u16),
    hmtx: usize,
    n_hmetrics: usize,
    n_glyphs: usize,
    /// Font units per pixel of font size.
    height_units: f64,
}

impl FontMetrics {
    pub(crate) fn parse(data: &'static [u8]) -> Option<FontMetrics> {
        let u16_at = |o: usize| -> Option<u16> {
            Some(u16::from_be_bytes(data.get(o..o + 2)?.try_into().ok()?))
        };
        let u32_at = |o: usize| -> Option<u32> {
            Some(u32::from_be_bytes(data.get(o..o + 4)?.try_into().ok()?))
        };
        let i16_at = |o: usize| u16_at(o).map(|v| v as i16);
        let table = |tag: &[u8; 4]| -> Option<usize> {
            let n = u16_at(4)? as usize;
            (0..n).find_map(|i| {
                let rec = 12 + 16 * i;
                (data.get(rec..rec + 4)? == tag)
                    .then(|| u32_at(rec + 8).map(|o| o as usize))
                    .flatten()
            })
        };
        let hhea = table(b"hhea")?;
        let mut ascender = i16_at(hhea + 4)?;
        let mut descender = i16_at(hhea + 6)?;
        // ttf-parser (under ab_glyph) prefers the OS/2 typographic metrics when fsSelection
        // bit 7 (USE_TYPO_METRICS) is set.
        if let Some(os2) = table(b"OS/2") {
            if u16_at(os2 + 62)? & (1 << 7) != 0 {
                ascender = i16_at(os2 + 68)?;
                descender = i16_at(os2 + 70)?;
            }
        }
        let n_hmetrics = u16_at(hhea + 34)? as usize;
        let n_glyphs = u16_at(table(b"maxp")? + 4)? as usize;
        let hmtx = table(b"hmtx")?;
        let cmap_base = table(b"cmap")?;
        let n_sub = u16_at(cmap_base + 2)? as usize;
        let mut best: Option<(usize, u16)> = None;
        for i in 0..n_sub {
            let rec = cmap_base + 4 + 8 * i;
            let (platform, encoding) = (u16_at(rec)?, u16_at(rec + 2)?);
            let off = cmap_base + u32_at(rec + 4)? as usize;
            let format = u16_at(off)?;
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
            if unicode && (format == 12 || (format == 4 && best.is_none())) {
                best = Some((off, format));
            }
        }
        Some(FontMetrics {
            data,
            cmap: best?,
            hmtx,
            n_hmetrics,
            n_glyphs,
            height_units: (ascender as f64 - descender as f64).max(1.0),
        })
    }

    fn u16_at(&self, o: usize) -> u16 {
        self.data
            .get(o..o + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .unwrap_or(0)
    }

    fn u32_at(&self, o: usize) -> u32 {
        (self.u16_at(o) as u32) << 16 | self.u16_at(o + 2) as u32
    }

    /// Glyph id of `c` (0, the missing glyph, when absent).
    fn glyph(&self, c: char) -> usize {
        let c = c as u32;
        let (off, format) = self.cmap;
        if format == 12 {
            let n = self.u32_at(off + 12) as usize;
            for g in 0..n {
                let rec = off + 16 + 12 * g;
                let (start, end) = (self.u32_at(rec), self.u32_at(rec + 4));
                if (start..=end).contains(&c) {
                    return (self.u32_at(rec + 8) + c - start) as usize;
                }
            }
            return 0;
        }
        if c > 0xFFFF {
            return 0;
        }
        let seg = self.u16_at(off + 6) as usize / 2;
        let ends = off + 14;
        let starts = ends + 2 * seg + 2;
        let deltas = starts + 2 * seg;
        let ranges = deltas + 2 * seg;
        for i in 0..seg {
            if c > self.u16_at(ends + 2 * i) as u32 {
                continue;
            }
            let start = self.u16_at(starts + 2 * i) as u32;
            if c < start {
                return 0;
            }
            let delta = self.u16_at(deltas + 2 * i) as u32;
            let range = self.u16_at(ranges + 2 * i) as usize;
            if range == 0 {
                return ((c + delta) & 0xFFFF) as usize;
            }
            let at = ranges + 2 * i + range + 2 * (c - start) as usize;
            let g = self.u16_at(at) as u32;
            return if g == 0 {
                0
            } else {
                ((g + delta) & 0xFFFF) as usize
            };
        }
        0
    }

    /// Advance width of `text` at `size_px`, pixels.
    pub(crate) fn text_width(&self, text: &str, size_px: f64) -> f64 {
        text.chars().map(|c| self.h_metrics(c).0).sum::<f64>() * size_px
    }

    /// (advance, left side bearing) of `c`, in pixels per pixel of font size.
    pub(crate) fn h_metrics(&self, c: char) -> (f64, f64) {
        let g = self.glyph(c).min(self.n_glyphs.saturating_sub(1));
        let last = self.n_hmetrics.saturating_sub(1);
        let advance = self.u16_at(self.hmtx + 4 * g.min(last)) as f64;
        let lsb = if g < self.n_hmetrics {
            self.u16_at(self.hmtx + 4 * g + 2)
        } else {
            self.u16_at(self.hmtx + 4 * self.n_hmetrics + 2 * (g - self.n_hmetrics))
        } as i16 as f64;
        (advance / self.height_units, lsb / self.height_units)
    }
}

/// The embedded font's metrics, once it is registered with plotters; `None` if either fails
/// (then text cannot be drawn).
pub(crate) fn metrics() -> Option<&'static FontMetrics> {
    static METRICS: OnceLock<Option<FontMetrics>> = OnceLock::new();
    METRICS
        .get_or_init(|| FontMetrics::parse(FONT_TTF))
        .as_ref()
        .filter(|_| fonts_registered())
}

/// Plotters' handle on the embedded font at `size_px`.
pub(crate) fn font(size_px: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FONT_FAMILY), size_px, FontStyle::Normal)
}

/// Rasterises `text` glyph by glyph, the pen starting at `pen_x` (pixels, fractional) on the
/// row `y` that plotters takes for the text's top (`ab_glyph` puts the baseline `size_px / 2`
/// below it); `put(x, y, coverage)` receives every covered pixel.
pub(crate) fn rasterise(
    metrics: &FontMetrics,
    text: &str,
    size_px: f64,
    pen_x: f64,
    y: i32,
    mut put: impl FnMut(i32, i32, f32),
) -> Result<(), FontError> {
    let font = font(size_px);
    let mut buf = [0u8; 4];
    let mut pen = pen_x;
    for c in text.chars() {
        let (advance, lsb) = metrics.h_metrics(c);
        let x = pen.round() as i32 + (lsb * size_px).floor() as i32;
        // The callback never fails, so only the outer (font) error can occur.
        let _ = font.draw(c.encode_utf8(&mut buf), (x, y), |px, py, a| {
            put(px, py, a);
            Ok::<(), ()>(())
        })?;
        pen += advance * size_px;
    }
    Ok(())
}
