//! Reading the CSV fixtures written by `tools/gen_geo_fixtures.py`.

use std::path::PathBuf;

/// One data row: the category label and the numeric columns, in file order.
pub struct Row {
    pub category: String,
    pub values: Vec<f64>,
    pub line: usize,
}

/// Reads `tests/fixtures/<name>`, skipping `#` comments and the header line.
pub fn read(name: &str) -> Vec<Row> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut rows = Vec::new();
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let mut fields = line.split(',');
        let category = fields.next().expect("category").to_string();
        let values = fields
            .map(|f| {
                f.parse::<f64>()
                    .unwrap_or_else(|e| panic!("{name}:{}: bad number {f:?}: {e}", i + 1))
            })
            .collect();
        rows.push(Row {
            category,
            values,
            line: i + 1,
        });
    }
    rows
}

/// Smallest absolute difference between two angles in degrees, allowing for wrap-around.
pub fn angle_diff_deg(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}
