//! Swedish municipalities, regions and the nation, with county membership, SKR's
//! municipality groups and each municipality's socioeconomically similar municipalities.
//!
//! The data are public facts of Kolada's open data (**Källa: Kolada**, CC BY 4.0),
//! shipped inside the crate as `data/geography/areas.csv` and `skr_groups.csv`
//! (snapshot [`SNAPSHOT_DATE`]). Anything built from them should show [`CREDIT`].
//!
//! ```
//! use jamlik::data::geography::Geography;
//! let geo = Geography::embedded()?;
//! let arboga = geo.find("Arboga")?;
//! assert_eq!(arboga.id, "1984");
//! assert_eq!(arboga.region_id.as_deref(), Some("0019"));
//! assert_eq!(geo.municipalities().count(), 290);
//! # Ok::<(), jamlik::Error>(())
//! ```

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Attribution line to show wherever the geography is used.
pub const CREDIT: &str = "Källa: Kolada (CC BY 4.0), geografi 2026-03-23";
/// Source name Kolada asks users to cite.
pub const SOURCE: &str = "Källa: Kolada";
/// Licence of the geography data.
pub const LICENCE: &str = "CC BY 4.0";
/// Date of the Kolada metadata snapshot the files were built from.
pub const SNAPSHOT_DATE: &str = "2026-03-23";
/// Kolada id of the nation (Riket).
pub const NATION_ID: &str = "0000";

const AREAS_CSV: &str = include_str!("../../data/geography/areas.csv");
const SKR_GROUPS_CSV: &str = include_str!("../../data/geography/skr_groups.csv");
const AREA_COLUMNS: [&str; 10] = [
    "id",
    "title",
    "type",
    "county_code",
    "region_id",
    "skr_group_code",
    "skr_group_id",
    "similar_group_id",
    "similar_group_year",
    "similar_ids",
];

/// What kind of area an id denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AreaKind {
    /// Kommun (Kolada type `K`).
    Municipality,
    /// Region (landsting, Kolada type `L`).
    Region,
    /// Riket, the nation (`0000`, Kolada type `L`).
    Nation,
}

/// One municipality, region or the nation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// 4-digit Kolada id (`"0180"`).
    pub id: String,
    /// Name (`"Stockholm"`, `"Region Uppsala"`, `"Riket"`).
    pub title: String,
    /// Municipality, region or nation.
    pub kind: AreaKind,
    /// 2-digit county (län) code; `None` for the nation.
    pub county_code: Option<String>,
    /// Kolada id of the municipality's region; `None` for regions and the nation.
    pub region_id: Option<String>,
    /// SKR municipality group code (A1…C9), municipalities only.
    pub skr_group_code: Option<String>,
    /// Kolada group id of the SKR group (G92786–G92794).
    pub skr_group_id: Option<String>,
    /// Kolada group id of "Liknande kommuner socioekonomi, <kommun>, <år>".
    pub similar_group_id: Option<String>,
    /// The year in that group's title.
    pub similar_group_year: Option<i32>,
    /// The socioeconomically similar municipalities (sorted ids, self excluded).
    pub similar_ids: Vec<String>,
}

/// One of SKR's nine municipality groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkrGroup {
    /// A1…C9.
    pub code: String,
    /// SKR's name (Swedish), e.g. "Storstäder".
    pub name: String,
    /// Kolada group id.
    pub kolada_group_id: String,
}

/// All areas with look-ups by id and name.
#[derive(Debug, Clone)]
pub struct Geography {
    areas: Vec<Area>,
    by_id: HashMap<String, usize>,
    skr_groups: Vec<SkrGroup>,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn parse_error(what: &str, line: usize, reason: impl Into<String>) -> Error {
    Error::Parse {
        what: format!("{what} line {line}"),
        reason: reason.into(),
    }
}

/// Splits a CSV text without quoting into rows of cells, checking the header.
fn rows<'a>(text: &'a str, what: &str, header: &[&str]) -> Result<Vec<(usize, Vec<&'a str>)>> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, head) = lines
        .next()
        .ok_or_else(|| parse_error(what, 1, "no header"))?;
    let head: Vec<&str> = head.trim_start_matches('\u{feff}').split(',').collect();
    if head != header {
        return Err(parse_error(
            what,
            1,
            format!("expected columns {header:?}, got {head:?}"),
        ));
    }
    lines
        .map(|(i, l)| {
            if l.contains('"') {
                return Err(parse_error(what, i + 1, "quoted cells are not supported"));
            }
            let cells: Vec<&str> = l.split(',').collect();
            if cells.len() == header.len() {
                Ok((i + 1, cells))
            } else {
                Err(parse_error(
                    what,
                    i + 1,
                    format!("expected {} cells, got {}", header.len(), cells.len()),
                ))
            }
        })
        .collect()
}

impl Geography {
    /// The geography shipped with the crate (Kolada snapshot [`SNAPSHOT_DATE`]).
    ///
    /// # Errors
    /// Only if the embedded files were corrupted at build time ([`Error::Parse`]).
    pub fn embedded() -> Result<Self> {
        Self::from_csv(AREAS_CSV, SKR_GROUPS_CSV)
    }

    /// Reads geography from the two CSV texts (same columns as the shipped files),
    /// for example a file refreshed from Kolada.
    ///
    /// # Errors
    /// [`Error::Parse`] for a wrong header, wrong cell count, unknown type,
    /// duplicate id or a municipality whose region is missing.
    pub fn from_csv(areas_csv: &str, skr_groups_csv: &str) -> Result<Self> {
        let mut areas = Vec::new();
        for (line, c) in rows(areas_csv, "areas.csv", &AREA_COLUMNS)? {
            let id = c[0].trim().to_string();
            if id.len() != 4 || !id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(parse_error(
                    "areas.csv",
                    line,
                    format!("id {id:?} is not 4 digits"),
                ));
            }
            let kind = match (c[2].trim(), id.as_str()) {
                ("L", NATION_ID) => AreaKind::Nation,
                ("L", _) => AreaKind::Region,
                ("K", _) => AreaKind::Municipality,
                (t, _) => {
                    return Err(parse_error(
                        "areas.csv",
                        line,
                        format!("type must be K or L, got {t:?}"),
                    ));
                }
            };
            let similar_group_year = match opt(c[8]) {
                None => None,
                Some(y) => Some(y.parse::<i32>().map_err(|_| {
                    parse_error("areas.csv", line, format!("similar_group_year {y:?}"))
                })?),
            };
            let similar_ids = c[9]
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            areas.push(Area {
                id,
                title: c[1].trim().to_string(),
                kind,
                county_code: opt(c[3]),
                region_id: opt(c[4]),
                skr_group_code: opt(c[5]),
                skr_group_id: opt(c[6]),
                similar_group_id: opt(c[7]),
                similar_group_year,
                similar_ids,
            });
        }
        let mut by_id = HashMap::with_capacity(areas.len());
        for (i, a) in areas.iter().enumerate() {
            if by_id.insert(a.id.clone(), i).is_some() {
                return Err(parse_error(
                    "areas.csv",
                    i + 2,
                    format!("duplicate id {}", a.id),
                ));
            }
        }
        for a in &areas {
            for r in a.region_id.iter().chain(a.similar_ids.iter()) {
                if !by_id.contains_key(r) {
                    return Err(Error::Parse {
                        what: "areas.csv".into(),
                        reason: format!("{} refers to unknown area {r}", a.id),
                    });
                }
            }
        }
        let skr_groups = rows(
            skr_groups_csv,
            "skr_groups.csv",
            &["code", "name", "kolada_group_id"],
        )?
        .into_iter()
        .map(|(_, c)| SkrGroup {
            code: c[0].trim().to_string(),
            name: c[1].trim().to_string(),
            kolada_group_id: c[2].trim().to_string(),
        })
        .collect();
        Ok(Self {
            areas,
            by_id,
            skr_groups,
        })
    }

    /// All areas in file order (nation, regions, municipalities).
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// The 290 municipalities.
    pub fn municipalities(&self) -> impl Iterator<Item = &Area> {
        self.areas
            .iter()
            .filter(|a| a.kind == AreaKind::Municipality)
    }

    /// The 21 regions.
    pub fn regions(&self) -> impl Iterator<Item = &Area> {
        self.areas.iter().filter(|a| a.kind == AreaKind::Region)
    }

    /// SKR's nine municipality groups.
    pub fn skr_groups(&self) -> &[SkrGroup] {
        &self.skr_groups
    }

    /// Position of an id in [`Geography::areas`].
    pub fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The area with this Kolada id.
    ///
    /// # Errors
    /// [`Error::UnknownId`] when no area has that id.
    pub fn area(&self, id: &str) -> Result<&Area> {
        self.index(id)
            .map(|i| &self.areas[i])
            .ok_or_else(|| Error::UnknownId {
                kind: "area",
                id: id.to_string(),
            })
    }

    /// An area by id (`"1984"`, also `"184"` → no) or by name, case-insensitively
    /// (`"arboga"`, `"Region Uppsala"`). A municipality wins over a region of the same
    /// name (Gotland).
    ///
    /// # Errors
    /// [`Error::UnknownId`] when nothing matches.
    pub fn find(&self, id_or_name: &str) -> Result<&Area> {
        let key = id_or_name.trim();
        if let Some(i) = self.index(key) {
            return Ok(&self.areas[i]);
        }
        let lower = key.to_lowercase();
        let mut hits: Vec<&Area> = self
            .areas
            .iter()
            .filter(|a| a.title.to_lowercase() == lower)
            .collect();
        hits.sort_by_key(|a| a.kind != AreaKind::Municipality);
        hits.first().copied().ok_or_else(|| Error::UnknownId {
            kind: "municipality or region",
            id: key.to_string(),
        })
    }

    /// The region (`00LL`) of a municipality, or the region itself.
    ///
    /// # Errors
    /// [`Error::UnknownId`] for an unknown id; [`Error::InvalidArgument`] for the nation.
    pub fn region_of(&self, id: &str) -> Result<&Area> {
        let a = self.area(id)?;
        match a.kind {
            AreaKind::Region => Ok(a),
            AreaKind::Municipality => self.area(a.region_id.as_deref().unwrap_or_default()),
            AreaKind::Nation => Err(Error::invalid("area", "the nation has no region")),
        }
    }

    /// The municipalities in a county (by 2-digit county code).
    pub fn county_municipalities<'a>(
        &'a self,
        county_code: &'a str,
    ) -> impl Iterator<Item = &'a Area> + 'a {
        self.municipalities()
            .filter(move |a| a.county_code.as_deref() == Some(county_code))
    }

    /// The municipalities in an SKR group (by code, A1…C9).
    pub fn skr_group_members<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Area> + 'a {
        self.municipalities()
            .filter(move |a| a.skr_group_code.as_deref() == Some(code))
    }
}
