//! A rendered figure: an RGB8 buffer, and its PNG encoding.

use crate::PlotError;
use image::{codecs::png::PngEncoder, ColorType, ImageEncoder};

/// An 8-bit RGB image, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// `width × height × 3` bytes.
    pub rgb: Vec<u8>,
}

impl Image {
    /// The PNG file's bytes (the encoder's defaults, as plotters' `BitMapBackend` writes them).
    /// Deterministic: the same image gives the same bytes. Write them with an atomic writer.
    pub fn to_png(&self) -> Result<Vec<u8>, PlotError> {
        let mut bytes = Vec::new();
        PngEncoder::new(&mut bytes)
            .write_image(&self.rgb, self.width, self.height, ColorType::Rgb8)
            .map_err(|source| PlotError::Encode {
                width: self.width,
                height: self.height,
                source,
            })?;
        Ok(bytes)
    }
}
