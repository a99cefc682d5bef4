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
use std::sync::OnceLock;

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
    /// Kolada group id of "Liknande kommuner socioekonomi, &lt;kommun&gt;, &lt;år&gt;".
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
    names: Vec<NameKey>,
    skr_groups: Vec<SkrGroup>,
}

/// One name an area answers to, in the two forms [`Geography::find`] compares.
#[derive(Debug, Clone)]
struct NameKey {
    area: usize,
    /// Lower case, whitespace collapsed.
    lower: String,
    /// [`fold`]ed: also without diacritics and hyphens.
    folded: String,
    /// A short form (region without "Region ", the nation's other names), which
    /// loses to a full title at the same level.
    alias: bool,
}

impl NameKey {
    fn new(area: usize, name: &str, alias: bool) -> Self {
        Self {
            area,
            lower: collapse_whitespace(&name.to_lowercase()),
            folded: fold(name),
            alias,
        }
    }
}

/// The names an area answers to besides its title.
fn aliases(area: &Area) -> Vec<&str> {
    match area.kind {
        AreaKind::Municipality => Vec::new(),
        AreaKind::Nation => vec!["Sverige", "Sweden"],
        AreaKind::Region => area
            .title
            .strip_prefix("Region ")
            .or_else(|| area.title.strip_suffix("sregionen"))
            .into_iter()
            .collect(),
    }
}

/// Municipalities win over regions, regions over the nation.
fn kind_rank(kind: AreaKind) -> u8 {
    match kind {
        AreaKind::Municipality => 0,
        AreaKind::Region => 1,
        AreaKind::Nation => 2,
    }
}

/// A Kolada area id from digits: `"180"` → `"0180"`, `"00180"` → `"0180"`; `None`
/// for anything but digits or a number above 9999.
fn padded_id(key: &str) -> Option<String> {
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = key.trim_start_matches('0');
    if digits.len() > 4 {
        return None;
    }
    Some(format!("{digits:0>4}"))
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower case without diacritics, hyphens as spaces, whitespace collapsed:
/// `" Upplands-Väsby "` → `"upplands vasby"`. Covers the Latin letters of Swedish
/// place names and their neighbours (å ä ö é è ü æ ø ß …); other characters are
/// kept as they are.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'č' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' | 'ń' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'š' => out.push('s'),
            'ž' => out.push('z'),
            'ß' => out.push_str("ss"),
            '-' | '\u{2010}' | '\u{2013}' => out.push(' '),
            c => out.push(c),
        }
    }
    collapse_whitespace(&out)
}

/// Levenshtein distance in characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
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
        let names = areas
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                std::iter::once(NameKey::new(i, &a.title, false)).chain(
                    aliases(a)
                        .into_iter()
                        .map(move |n| NameKey::new(i, n, true)),
                )
            })
            .collect();
        Ok(Self {
            areas,
            by_id,
            names,
            skr_groups,
        })
    }

    /// The geography shipped with the crate, parsed once per process and shared.
    ///
    /// # Errors
    /// As [`Geography::embedded`].
    pub fn shared() -> Result<&'static Geography> {
        static SHARED: OnceLock<Result<Geography>> = OnceLock::new();
        SHARED
            .get_or_init(Self::embedded)
            .as_ref()
            .map_err(Clone::clone)
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

    /// The one resolver of municipalities, regions and the nation: an area by
    /// Kolada id or by name.
    ///
    /// - **Ids**: 1 to 4 digits are zero-padded to Kolada's four (`"180"` and
    ///   `"0180"` are Stockholm, `"1"` is `0001` Region Stockholm, `"0"` is `0000`
    ///   Riket); leading zeros beyond four digits are ignored (`"00180"`).
    /// - **Names** are matched ignoring case, surrounding and repeated whitespace,
    ///   and then also diacritics and hyphens (`"Vasteras"` → Västerås, `"malmo"` →
    ///   Malmö, `"upplands bro"` → Upplands-Bro). A match with the exact letters wins
    ///   over one that needed folding, so `"Habo"` is Habo (0643) and `"Håbo"` is
    ///   Håbo (0305).
    /// - **Regions** also answer to their name without "Region " (`"Västmanland"`,
    ///   `"Jönköpings län"`) and Västra Götalandsregionen to `"Västra Götaland"`; the
    ///   nation answers to `"Riket"`, `"Sverige"` and `"Sweden"`.
    /// - Where a name is both a municipality and a region (Stockholm, Uppsala,
    ///   Kalmar, Gotland) the **municipality** wins; pass the region's full title
    ///   (`"Region Stockholm"`) or its id (`"0001"`) for the region.
    ///
    /// Kolada group ids (`G…`) are not areas: see [`Geography::resolve`].
    ///
    /// ```
    /// use jamlik::data::geography::Geography;
    /// let geo = Geography::embedded()?;
    /// assert_eq!(geo.find("180")?.title, "Stockholm");
    /// assert_eq!(geo.find("  vasteras ")?.id, "1980");
    /// let err = geo.find("Vasterxs").unwrap_err().to_string();
    /// assert!(err.contains("did you mean `Västerås` (1980)"), "{err}");
    /// # Ok::<(), jamlik::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] (argument `area`) for an empty query;
    /// [`Error::UnknownArea`] when nothing matches, with the nearest names (edit
    /// distance on folded names; at most three, within one edit of the nearest) as suggestions, or when a folded
    /// name fits several areas (those areas are the suggestions).
    pub fn find(&self, query: &str) -> Result<&Area> {
        let key = query.trim();
        if key.is_empty() {
            return Err(Error::invalid(
                "area",
                "is empty; give a Kolada id (\"0180\", 180) or a name (\"Stockholm\")",
            ));
        }
        if let Some(id) = padded_id(key) {
            return self
                .index(&id)
                .map(|i| &self.areas[i])
                .ok_or_else(|| Error::UnknownArea {
                    query: key.to_string(),
                    suggestions: Vec::new(),
                });
        }
        let lower = collapse_whitespace(&key.to_lowercase());
        let folded = fold(key);
        let mut best: Option<(u8, u8)> = None;
        let mut hits: Vec<usize> = Vec::new();
        for name in &self.names {
            let level = if name.lower == lower {
                0
            } else if name.folded == folded {
                2
            } else {
                continue;
            };
            let rank = (
                level + u8::from(name.alias),
                kind_rank(self.areas[name.area].kind),
            );
            match best {
                Some(b) if rank > b => {}
                Some(b) if rank == b => {
                    if !hits.contains(&name.area) {
                        hits.push(name.area);
                    }
                }
                _ => {
                    best = Some(rank);
                    hits.clear();
                    hits.push(name.area);
                }
            }
        }
        match hits.as_slice() {
            [one] => Ok(&self.areas[*one]),
            [] => Err(Error::UnknownArea {
                query: key.to_string(),
                suggestions: self.suggestions(&folded),
            }),
            several => Err(Error::UnknownArea {
                query: key.to_string(),
                suggestions: several
                    .iter()
                    .map(|&i| (self.areas[i].title.clone(), self.areas[i].id.clone()))
                    .collect(),
            }),
        }
    }

    /// The Kolada id for a municipality, region or nation (as [`Geography::find`])
    /// or a Kolada group id (`"G92787"`, also `"g92787"`), which passes through
    /// unchecked since groups are not part of the geography.
    ///
    /// # Errors
    /// As [`Geography::find`].
    pub fn resolve(&self, query: &str) -> Result<String> {
        let key = query.trim();
        if let Some(digits) = key.strip_prefix(['G', 'g'])
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Ok(format!("G{digits}"));
        }
        self.find(key).map(|a| a.id.clone())
    }

    /// Up to three areas whose folded names are nearest to `folded`, as
    /// `(title, id)`, nearest first (ties: municipality first, then by title).
    /// Only names within half the query's length (at least 2 edits) count, and
    /// only those at most one edit further than the nearest, so a clear
    /// misspelling gets one answer. A name the query begins counts as 1 edit.
    fn suggestions(&self, folded: &str) -> Vec<(String, String)> {
        let len = folded.chars().count();
        let cutoff = (len / 2).max(2);
        let mut best: HashMap<usize, usize> = HashMap::new();
        for name in &self.names {
            let d = if len >= 3 && name.folded.starts_with(folded) {
                1
            } else {
                levenshtein(folded, &name.folded)
            };
            if d <= cutoff {
                let e = best.entry(name.area).or_insert(d);
                *e = (*e).min(d);
            }
        }
        let mut near: Vec<(usize, usize)> = best.into_iter().collect();
        near.sort_by(|(a, da), (b, db)| {
            (da, kind_rank(self.areas[*a].kind), &self.areas[*a].title).cmp(&(
                db,
                kind_rank(self.areas[*b].kind),
                &self.areas[*b].title,
            ))
        });
        let nearest = near.first().map_or(0, |&(_, d)| d);
        near.into_iter()
            .take_while(|&(_, d)| d <= nearest + 1)
            .take(3)
            .map(|(i, _)| (self.areas[i].title.clone(), self.areas[i].id.clone()))
            .collect()
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
