//! Colours, colour scales and text sizes shared by every figure, so a map, an envelope plot and
//! a study plot look like one family.

/// An sRGB colour, 8 bits per channel.
pub type Rgb = (u8, u8, u8);

/// Title size, pixels.
pub const TITLE_SIZE_PX: f64 = 34.0;
/// Subtitle size, pixels (the line under the title: scenario, parameters).
pub const SUBTITLE_SIZE_PX: f64 = 19.0;
/// Subtitles, footnotes, secondary labels and thin outlines.
pub const SECONDARY_RGB: Rgb = (85, 85, 85);

/// Categorical colours for layers or series, in order (matplotlib's `tab10`, first eight:
/// distinct for most colour-blind readers and in grey).
pub const CATEGORICAL: [Rgb; 8] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (23, 190, 207),
];

/// Viridis at 10 evenly spaced points (matplotlib's `viridis`, van der Walt & Smith 2015,
/// CC0), interpolated linearly by [`viridis`].
const VIRIDIS: [Rgb; 10] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x28, 0x78),
    (0x3e, 0x4a, 0x89),
    (0x31, 0x68, 0x8e),
    (0x26, 0x82, 0x8e),
    (0x1f, 0x9e, 0x89),
    (0x35, 0xb7, 0x79),
    (0x6d, 0xcd, 0x59),
    (0xb4, 0xde, 0x2c),
    (0xfd, 0xe7, 0x25),
];

/// The viridis colour scale at `t` in `[0, 1]` (clamped; NaN is 0): perceptually uniform,
/// readable in grey and by colour-blind readers.
pub fn viridis(t: f64) -> Rgb {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let l = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
    (l(a.0, b.0), l(a.1, b.1), l(a.2, b.2))
}

/// `rgb` at opacity `alpha` composited over `under` (e.g. a legend swatch that matches a
/// translucent fill).
pub fn over(rgb: Rgb, alpha: f64, under: Rgb) -> Rgb {
    let mix = |a: u8, b: u8| (b as f64 + (a as f64 - b as f64) * alpha).round() as u8;
    (
        mix(rgb.0, under.0),
        mix(rgb.1, under.1),
        mix(rgb.2, under.2),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_are_the_table_ends() {
        assert_eq!(viridis(0.0), (0x44, 0x01, 0x54));
        assert_eq!(viridis(1.0), (0xfd, 0xe7, 0x25));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }

    #[test]
    fn over_is_the_colour_at_full_opacity_and_the_background_at_none() {
        assert_eq!(over((10, 20, 30), 1.0, (200, 200, 200)), (10, 20, 30));
        assert_eq!(over((10, 20, 30), 0.0, (200, 200, 200)), (200, 200, 200));
        assert_eq!(over((0, 0, 0), 0.5, (255, 255, 255)), (128, 128, 128));
    }
}
