//! Why a digital elevation model could not be read or built.

use std::path::PathBuf;

use thiserror::Error;

/// Why a [`Dem`](super::Dem) could not be read from a file or built from a grid.
///
/// File variants carry the path; GeoTIFF variants also name the tag or GeoKey (with its numeric
/// code) and the value that was found, so a scenario diagnostic needs nothing else.
#[derive(Debug, Error)]
pub enum TerrainError {
    /// The file could not be opened or read.
    #[error("cannot read DEM file {}: {source}", path.display())]
    Io {
        /// The file that was asked for.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not a TIFF, or the `tiff` crate cannot decode it (e.g. JPEG or ZSTD
    /// compression, which are not enabled).
    #[error("{} is not a readable TIFF: {source}", path.display())]
    Tiff {
        /// The file that was read.
        path: PathBuf,
        /// The decoder's reason.
        source: tiff::TiffError,
    },
    /// A TIFF without a GeoTIFF tag that a geographic grid needs.
    #[error(
        "{} has no {tag} tag ({code}): not a GeoTIFF with a regular latitude/longitude grid",
        path.display()
    )]
    MissingGeoTag {
        /// The file that was read.
        path: PathBuf,
        /// The tag's name, e.g. `"ModelPixelScale"`.
        tag: &'static str,
        /// The tag's number, e.g. 33550.
        code: u16,
    },
    /// A GeoTIFF tag is present but its contents cannot describe a north-up geographic grid.
    #[error("{}: tag {tag} ({code}) {reason}", path.display())]
    MalformedGeoTag {
        /// The file that was read.
        path: PathBuf,
        /// The tag's name.
        tag: &'static str,
        /// The tag's number.
        code: u16,
        /// What is wrong with it, with the offending value.
        reason: String,
    },
    /// The raster is projected (or geocentric), not a latitude/longitude grid.
    #[error(
        "{}: GeoKey {key} ({code}) = {value}: the raster is projected or geocentric; only \
         geographic latitude/longitude grids (GTModelTypeGeoKey = 2, WGS 84) are supported — \
         reproject it, e.g. `gdalwarp -t_srs EPSG:4326 in.tif out.tif`",
        path.display()
    )]
    ProjectedRaster {
        /// The file that was read.
        path: PathBuf,
        /// The GeoKey's name, e.g. `"ProjectedCSTypeGeoKey"`.
        key: &'static str,
        /// The GeoKey's number, e.g. 3072.
        code: u16,
        /// Its value, e.g. 32638 (UTM zone 38N).
        value: u16,
    },
    /// A GeoKey has a value this reader does not support (another datum, angular unit or
    /// raster type).
    #[error("{}: GeoKey {key} ({code}) = {value} is not supported; expected {supported}", path.display())]
    UnsupportedGeoKey {
        /// The file that was read.
        path: PathBuf,
        /// The GeoKey's name.
        key: &'static str,
        /// The GeoKey's number.
        code: u16,
        /// The value that was found.
        value: u16,
        /// What would have been accepted.
        supported: &'static str,
    },
    /// The image is not a single band of samples.
    #[error("{}: the image has colour type {color_type}; a DEM must be a single band", path.display())]
    NotSingleBand {
        /// The file that was read.
        path: PathBuf,
        /// The colour type the decoder reported.
        color_type: String,
    },
    /// The sample type cannot be converted to heights.
    #[error("{}: {sample_type} samples are not supported as heights", path.display())]
    UnsupportedSampleType {
        /// The file that was read.
        path: PathBuf,
        /// The decoder's sample type, e.g. `"F16"`.
        sample_type: &'static str,
    },
    /// A grid needs at least two posts in each direction for bilinear interpolation (and at
    /// most `u32::MAX`).
    #[error("a DEM needs 2 to 2^32 - 1 posts per side, got {rows} rows x {cols} columns")]
    GridTooSmall {
        /// Number of rows (latitudes).
        rows: usize,
        /// Number of columns (longitudes).
        cols: usize,
    },
    /// The number of heights is not `rows × cols`.
    #[error("{rows} rows x {cols} columns need {} heights, got {len}", rows.saturating_mul(*cols))]
    GridSizeMismatch {
        /// Number of rows (latitudes).
        rows: usize,
        /// Number of columns (longitudes).
        cols: usize,
        /// Number of heights given.
        len: usize,
    },
    /// A grid parameter is not finite or is out of range.
    #[error("DEM grid parameter {quantity} = {value} is invalid: {reason}")]
    InvalidGridParameter {
        /// Which parameter, with its unit (e.g. `"dlat_deg"`).
        quantity: &'static str,
        /// The value that was given.
        value: f64,
        /// The range that would have been accepted.
        reason: &'static str,
    },
}
