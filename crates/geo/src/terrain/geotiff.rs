//! Reading a single-band geographic GeoTIFF into a [`Dem`].
//!
//! Tags and GeoKeys: OGC GeoTIFF Standard 1.1 (OGC 19-008r4), §7.1 (ModelPixelScale 33550,
//! ModelTiepoint 33922, GeoKeyDirectory 34735) and the GeoKey tables (GTModelTypeGeoKey 1024,
//! GTRasterTypeGeoKey 1025, GeographicTypeGeoKey 2048, GeogGeodeticDatumGeoKey 2050,
//! GeogAngularUnitsGeoKey 2054, ProjectedCSTypeGeoKey 3072). GDAL_NODATA (42113) is GDAL's
//! private ASCII tag, <https://gdal.org/drivers/raster/gtiff.html>.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;
use tiff::ColorType;

use super::{Dem, TerrainError};

const PIXEL_SCALE: (&str, u16) = ("ModelPixelScale", 33550);
const TIEPOINT: (&str, u16) = ("ModelTiepoint", 33922);
const TRANSFORMATION: (&str, u16) = ("ModelTransformation", 34264);
const GEOKEY_DIRECTORY: (&str, u16) = ("GeoKeyDirectory", 34735);
const GDAL_NODATA: (&str, u16) = ("GDAL_NODATA", 42113);

const KEY_MODEL_TYPE: (&str, u16) = ("GTModelTypeGeoKey", 1024);
const KEY_RASTER_TYPE: (&str, u16) = ("GTRasterTypeGeoKey", 1025);
const KEY_GEOGRAPHIC_TYPE: (&str, u16) = ("GeographicTypeGeoKey", 2048);
const KEY_GEODETIC_DATUM: (&str, u16) = ("GeogGeodeticDatumGeoKey", 2050);
const KEY_ANGULAR_UNITS: (&str, u16) = ("GeogAngularUnitsGeoKey", 2054);
const KEY_PROJECTED_CS_TYPE: (&str, u16) = ("ProjectedCSTypeGeoKey", 3072);

/// GTModelTypeGeoKey value for a geographic (latitude/longitude) model.
const MODEL_GEOGRAPHIC: u16 = 2;
/// GTRasterTypeGeoKey values.
const RASTER_PIXEL_IS_AREA: u16 = 1;
const RASTER_PIXEL_IS_POINT: u16 = 2;
/// EPSG codes accepted for the geographic CRS (WGS 84 2D and 3D), the WGS 84 datum, the
/// "user-defined" marker and the degree unit.
const EPSG_WGS84: u16 = 4326;
const EPSG_WGS84_3D: u16 = 4979;
const EPSG_DATUM_WGS84: u16 = 6326;
const USER_DEFINED: u16 = 32767;
const EPSG_DEGREE: u16 = 9102;

/// SRTM's void value, taken as nodata in Int16 files even without a GDAL_NODATA tag.
const SRTM_VOID: i16 = -32768;

pub(super) fn read(path: &Path) -> Result<Dem, TerrainError> {
    let file = File::open(path).map_err(|source| TerrainError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_from(BufReader::new(file), path)
}

/// Reads a GeoTIFF from any seekable reader; `path` only names it in errors.
pub(super) fn read_from<R: Read + Seek>(reader: R, path: &Path) -> Result<Dem, TerrainError> {
    let path_buf = || path.to_path_buf();
    let tiff_err = |source| TerrainError::Tiff {
        path: path_buf(),
        source,
    };
    let mut dec = Decoder::new(reader).map_err(tiff_err)?;
    let (width, height) = dec.dimensions().map_err(tiff_err)?;
    match dec.colortype().map_err(tiff_err)? {
        ColorType::Gray(_) => {}
        other => {
            return Err(TerrainError::NotSingleBand {
                path: path_buf(),
                color_type: format!("{other:?}"),
            })
        }
    }
    let grid = georeference(&mut dec, path)?;
    let nodata = read_nodata(&mut dec, path)?;
    let image = dec.read_image().map_err(tiff_err)?;
    let heights =
        to_heights(image, nodata).map_err(|sample_type| TerrainError::UnsupportedSampleType {
            path: path_buf(),
            sample_type,
        })?;
    Dem::from_grid(
        grid.north_lat_deg,
        grid.west_lon_deg,
        grid.lat_step_deg,
        grid.lon_step_deg,
        height as usize,
        width as usize,
        heights,
    )
}

/// Where the raster's first post is and how far apart the posts are, degrees.
struct GridPlacement {
    north_lat_deg: f64,
    west_lon_deg: f64,
    lat_step_deg: f64,
    lon_step_deg: f64,
}

/// A tag read as doubles, `None` if absent.
fn f64_tag<R: Read + Seek>(
    dec: &mut Decoder<R>,
    path: &Path,
    tag: (&'static str, u16),
) -> Result<Option<Vec<f64>>, TerrainError> {
    match dec.find_tag(Tag::Unknown(tag.1)) {
        Ok(Some(v)) => v
            .into_f64_vec()
            .map(Some)
            .map_err(|e| malformed(path, tag, format!("cannot be read as doubles: {e}"))),
        Ok(None) => Ok(None),
        Err(e) => Err(malformed(path, tag, format!("cannot be read: {e}"))),
    }
}

/// At least `min` values in `tag`, or an error that says `expected` were.
fn check_len(
    path: &Path,
    tag: (&'static str, u16),
    values: &[f64],
    min: usize,
    expected: usize,
) -> Result<(), TerrainError> {
    if values.len() < min {
        return Err(malformed(
            path,
            tag,
            format!("has {} values, expected {expected}", values.len()),
        ));
    }
    Ok(())
}

/// The north-up geographic placement of the raster, from ModelPixelScale, ModelTiepoint and the
/// GeoKeys (a rotated or sheared ModelTransformation, or a projected CRS, is an error).
fn georeference<R: Read + Seek>(
    dec: &mut Decoder<R>,
    path: &Path,
) -> Result<GridPlacement, TerrainError> {
    let scale = f64_tag(dec, path, PIXEL_SCALE)?;
    let tie = f64_tag(dec, path, TIEPOINT)?;
    let (scale, tie) = match (scale, tie) {
        (Some(s), Some(t)) => (s, t),
        (s, _) => {
            if f64_tag(dec, path, TRANSFORMATION)?.is_some() {
                return Err(malformed(
                    path,
                    TRANSFORMATION,
                    "is present instead of ModelPixelScale + ModelTiepoint; rotated or sheared \
                     rasters are not supported"
                        .to_string(),
                ));
            }
            let (tag, code) = if s.is_none() { PIXEL_SCALE } else { TIEPOINT };
            return Err(TerrainError::MissingGeoTag {
                path: path.to_path_buf(),
                tag,
                code,
            });
        }
    };
    // The GeoKeys first: a projected raster is better named as such than by its metre scale.
    let raster_type = check_geokeys(dec, path)?;
    check_len(path, PIXEL_SCALE, &scale, 2, 3)?;
    check_len(path, TIEPOINT, &tie, 6, 6)?;
    let (sx, sy) = (scale[0], scale[1]);
    for (v, what) in [(sx, "x (longitude) scale"), (sy, "y (latitude) scale")] {
        if !(v.is_finite() && v > 0.0 && v <= 10.0) {
            return Err(malformed(
                path,
                PIXEL_SCALE,
                format!("{what} is {v}; a north-up geographic grid needs 0 < scale <= 10 degrees"),
            ));
        }
    }
    let (ti, tj, tx, ty) = (tie[0], tie[1], tie[3], tie[4]);
    if !(tx.is_finite() && ty.is_finite() && ti.is_finite() && tj.is_finite())
        || ty.abs() > 90.5
        || tx.abs() > 540.0
    {
        return Err(malformed(
            path,
            TIEPOINT,
            format!(
                "maps raster ({ti}, {tj}) to ({tx}, {ty}), which is not a longitude/latitude in degrees"
            ),
        ));
    }

    // Raster coordinates of the first post: pixel-is-area puts (0, 0) on the outer corner of the
    // first pixel, whose centre is therefore at (0.5, 0.5); pixel-is-point puts it on the post.
    let offset = if raster_type == RASTER_PIXEL_IS_POINT {
        0.0
    } else {
        0.5
    };
    Ok(GridPlacement {
        north_lat_deg: ty - (offset - tj) * sy,
        west_lon_deg: tx + (offset - ti) * sx,
        lat_step_deg: sy,
        lon_step_deg: sx,
    })
}

/// The GDAL_NODATA value, if the tag is there.
fn read_nodata<R: Read + Seek>(
    dec: &mut Decoder<R>,
    path: &Path,
) -> Result<Option<f64>, TerrainError> {
    match dec.find_tag(Tag::Unknown(GDAL_NODATA.1)) {
        Ok(Some(v)) => {
            let text = v
                .into_string()
                .map_err(|e| malformed(path, GDAL_NODATA, format!("is not text: {e}")))?;
            let t = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
            let value = t
                .parse::<f64>()
                .map_err(|_| malformed(path, GDAL_NODATA, format!("is {t:?}, not a number")))?;
            Ok(Some(value))
        }
        Ok(None) => Ok(None),
        Err(e) => Err(malformed(path, GDAL_NODATA, format!("cannot be read: {e}"))),
    }
}

fn malformed(path: &Path, (tag, code): (&'static str, u16), reason: String) -> TerrainError {
    TerrainError::MalformedGeoTag {
        path: PathBuf::from(path),
        tag,
        code,
        reason,
    }
}

/// Checks the GeoKeyDirectory, if any, and returns the raster type (pixel-is-area when absent).
fn check_geokeys<R: Read + Seek>(dec: &mut Decoder<R>, path: &Path) -> Result<u16, TerrainError> {
    let keys = match dec.find_tag(Tag::Unknown(GEOKEY_DIRECTORY.1)) {
        Ok(Some(v)) => v.into_u16_vec().map_err(|e| {
            malformed(
                path,
                GEOKEY_DIRECTORY,
                format!("is not a list of shorts: {e}"),
            )
        })?,
        Ok(None) => return Ok(RASTER_PIXEL_IS_AREA),
        Err(e) => {
            return Err(malformed(
                path,
                GEOKEY_DIRECTORY,
                format!("cannot be read: {e}"),
            ))
        }
    };
    if keys.len() < 4 || keys.len() < 4 + 4 * usize::from(keys[3]) {
        return Err(malformed(
            path,
            GEOKEY_DIRECTORY,
            format!("has {} values, too few for its header", keys.len()),
        ));
    }
    // Header: version, revision, minor revision, number of keys; then 4 shorts per key:
    // id, location (0 = the value is inline), count, value or offset.
    let entries = &keys[4..4 + 4 * usize::from(keys[3])];
    let inline = |(_, code): (&str, u16)| {
        entries
            .chunks_exact(4)
            .find(|e| e[0] == code && e[1] == 0)
            .map(|e| e[3])
    };
    let unsupported =
        |(key, code): (&'static str, u16), value, supported| TerrainError::UnsupportedGeoKey {
            path: path.to_path_buf(),
            key,
            code,
            value,
            supported,
        };
    if let Some(value) = inline(KEY_PROJECTED_CS_TYPE) {
        return Err(TerrainError::ProjectedRaster {
            path: path.to_path_buf(),
            key: KEY_PROJECTED_CS_TYPE.0,
            code: KEY_PROJECTED_CS_TYPE.1,
            value,
        });
    }
    if let Some(value) = inline(KEY_MODEL_TYPE) {
        if value != MODEL_GEOGRAPHIC {
            return Err(TerrainError::ProjectedRaster {
                path: path.to_path_buf(),
                key: KEY_MODEL_TYPE.0,
                code: KEY_MODEL_TYPE.1,
                value,
            });
        }
    }
    match inline(KEY_GEOGRAPHIC_TYPE) {
        None | Some(EPSG_WGS84) | Some(EPSG_WGS84_3D) => {}
        Some(USER_DEFINED) => match inline(KEY_GEODETIC_DATUM) {
            Some(EPSG_DATUM_WGS84) => {}
            value => {
                return Err(unsupported(
                    KEY_GEODETIC_DATUM,
                    value.unwrap_or(0),
                    "6326 (WGS 84) for a user-defined geographic CRS",
                ))
            }
        },
        Some(value) => {
            return Err(unsupported(
                KEY_GEOGRAPHIC_TYPE,
                value,
                "4326 (WGS 84) or 4979 (WGS 84 3D)",
            ))
        }
    }
    match inline(KEY_ANGULAR_UNITS) {
        None | Some(EPSG_DEGREE) => {}
        Some(value) => return Err(unsupported(KEY_ANGULAR_UNITS, value, "9102 (degree)")),
    }
    match inline(KEY_RASTER_TYPE) {
        None => Ok(RASTER_PIXEL_IS_AREA),
        Some(v @ (RASTER_PIXEL_IS_AREA | RASTER_PIXEL_IS_POINT)) => Ok(v),
        Some(value) => Err(unsupported(
            KEY_RASTER_TYPE,
            value,
            "1 (PixelIsArea) or 2 (PixelIsPoint)",
        )),
    }
}

/// Converts decoded samples to `f32` heights with NaN for nodata; on failure returns the name
/// of the unsupported sample type.
fn to_heights(image: DecodingResult, nodata: Option<f64>) -> Result<Vec<f32>, &'static str> {
    let is_nodata = |v: f64| nodata.is_some_and(|n| v == n);
    fn map<T: Copy>(v: Vec<T>, f: impl Fn(T) -> f32) -> Vec<f32> {
        v.into_iter().map(f).collect()
    }
    let conv = |v: f64| if is_nodata(v) { f32::NAN } else { v as f32 };
    Ok(match image {
        DecodingResult::I16(v) => map(v, |x| {
            if x == SRTM_VOID {
                f32::NAN
            } else {
                conv(f64::from(x))
            }
        }),
        DecodingResult::U16(v) => map(v, |x| conv(f64::from(x))),
        DecodingResult::F32(v) => map(v, |x| conv(f64::from(x))),
        DecodingResult::F64(v) => map(v, conv),
        DecodingResult::I8(v) => map(v, |x| conv(f64::from(x))),
        DecodingResult::U8(v) => map(v, |x| conv(f64::from(x))),
        DecodingResult::I32(v) => map(v, |x| conv(f64::from(x))),
        DecodingResult::U32(v) => map(v, |x| conv(f64::from(x))),
        DecodingResult::I64(_) => return Err("Int64"),
        DecodingResult::U64(_) => return Err("UInt64"),
        DecodingResult::F16(_) => return Err("Float16"),
    })
}
