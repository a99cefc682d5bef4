//! Building Kolada request URLs.
//!
//! Kolada v3 refuses path segments with more than 25 ids, so every id list is split
//! into chunks of at most [`MAX_IDS_PER_SEGMENT`] and the request becomes the
//! cartesian product of the chunks (rKolada does the same). Ids are validated
//! (letters, digits, `-`, `_`) so nothing a user passes can change the path.

use crate::error::{Error, Result};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Base URL of Kolada API v3.
pub const V3_BASE: &str = "https://api.kolada.se/v3";
/// Base URL of Kolada API v2 (reported retired in 2025/26; kept for old caches and mirrors).
pub const V2_BASE: &str = "https://api.kolada.se/v2";
/// Most ids Kolada accepts in one path segment.
pub const MAX_IDS_PER_SEGMENT: usize = 25;
/// Most records Kolada returns on one page.
pub const MAX_PER_PAGE: u32 = 5000;
/// Earliest and latest period accepted in queries (Kolada's series start in the 1970s).
pub const PERIOD_RANGE: (i32, i32) = (1950, 2100);

/// API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Api {
    /// Kolada API v2 (`next_page`, 0/1 booleans).
    V2,
    /// Kolada API v3 (`next_url`, booleans), the default.
    #[default]
    V3,
}

impl Api {
    /// The public base URL of this version.
    pub fn base_url(self) -> &'static str {
        match self {
            Api::V2 => V2_BASE,
            Api::V3 => V3_BASE,
        }
    }
}

impl std::str::FromStr for Api {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "v2" | "2" => Ok(Api::V2),
            "v3" | "3" => Ok(Api::V3),
            other => Err(Error::invalid(
                "api",
                format!("expected \"v3\" or \"v2\", got {other:?}"),
            )),
        }
    }
}

/// Metadata entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// `kpi`: key performance indicators.
    Kpi,
    /// `kpi_groups`.
    KpiGroups,
    /// `municipality`: municipalities, regions and the nation.
    Municipality,
    /// `municipality_groups`: SKR groups, similar-municipality groups, county groups…
    MunicipalityGroups,
}

impl Entity {
    /// The path segment of the entity.
    pub fn path(self) -> &'static str {
        match self {
            Entity::Kpi => "kpi",
            Entity::KpiGroups => "kpi_groups",
            Entity::Municipality => "municipality",
            Entity::MunicipalityGroups => "municipality_groups",
        }
    }
}

impl std::str::FromStr for Entity {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "kpi" => Ok(Entity::Kpi),
            "kpi_groups" => Ok(Entity::KpiGroups),
            "municipality" => Ok(Entity::Municipality),
            "municipality_groups" => Ok(Entity::MunicipalityGroups),
            other => Err(Error::invalid(
                "entity",
                format!(
                    "expected kpi, kpi_groups, municipality or municipality_groups, got {other:?}"
                ),
            )),
        }
    }
}

/// A data query: any two of the three lists must be non-empty (Kolada's rule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataQuery {
    /// KPI ids (`N80401`, …).
    pub kpis: Vec<String>,
    /// Municipality, region or group ids (`0180`, `0001`, `G92787`, …).
    pub municipalities: Vec<String>,
    /// Years.
    pub years: Vec<i32>,
}

/// Characters escaped in query values: everything except unreserved ones.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn check_id(arg: &'static str, id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid(arg, "contains an empty id"));
    }
    if id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::invalid(
            arg,
            format!("{id:?} is not a Kolada id (letters, digits, '-' and '_' only)"),
        ));
    }
    Ok(())
}

/// Validated ids with duplicates removed (first occurrence kept).
fn clean_ids(arg: &'static str, ids: &[String]) -> Result<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let id = id.trim();
        check_id(arg, id)?;
        if seen.insert(id.to_string()) {
            out.push(id.to_string());
        }
    }
    Ok(out)
}

fn clean_years(years: &[i32]) -> Result<Vec<String>> {
    let mut out: Vec<i32> = Vec::with_capacity(years.len());
    for &y in years {
        if y < PERIOD_RANGE.0 || y > PERIOD_RANGE.1 {
            return Err(Error::invalid(
                "years",
                format!(
                    "{y} is outside {}..={} (Kolada periods are years)",
                    PERIOD_RANGE.0, PERIOD_RANGE.1
                ),
            ));
        }
        if !out.contains(&y) {
            out.push(y);
        }
    }
    Ok(out.iter().map(ToString::to_string).collect())
}

/// Splits a list into comma-joined chunks of at most [`MAX_IDS_PER_SEGMENT`].
fn segments(ids: &[String]) -> Vec<String> {
    ids.chunks(MAX_IDS_PER_SEGMENT)
        .map(|c| c.join(","))
        .collect()
}

fn check_per_page(per_page: Option<u32>) -> Result<()> {
    match per_page {
        Some(n) if n == 0 || n > MAX_PER_PAGE => Err(Error::invalid(
            "per_page",
            format!("must be between 1 and {MAX_PER_PAGE}, got {n}"),
        )),
        _ => Ok(()),
    }
}

fn base(base_url: &str) -> Result<&str> {
    let b = base_url.trim_end_matches('/');
    if !(b.starts_with("http://") || b.starts_with("https://")) {
        return Err(Error::invalid(
            "base_url",
            format!("must start with http:// or https://, got {base_url:?}"),
        ));
    }
    Ok(b)
}

/// The request URLs for a data query, one per combination of ≤25-id chunks.
///
/// ```
/// use jamlik::data::kolada::url::{data_urls, DataQuery, V3_BASE};
/// let kpis: Vec<String> = (0..30).map(|i| format!("N{i:05}")).collect();
/// let q = DataQuery { kpis, municipalities: vec!["0180".into()], years: vec![2022, 2023] };
/// let urls = data_urls(V3_BASE, &q, None)?;
/// assert_eq!(urls.len(), 2); // 25 + 5 KPIs
/// assert!(urls[1].ends_with("/data/kpi/N00025,N00026,N00027,N00028,N00029/municipality/0180/year/2022,2023"));
/// # Ok::<(), jamlik::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] when fewer than two of the lists are non-empty, an id is
/// not a Kolada id, a year is outside [`PERIOD_RANGE`], `per_page` is outside
/// 1..=5000 or `base_url` is not an http(s) URL.
pub fn data_urls(base_url: &str, query: &DataQuery, per_page: Option<u32>) -> Result<Vec<String>> {
    let b = base(base_url)?;
    check_per_page(per_page)?;
    let kpis = clean_ids("kpis", &query.kpis)?;
    let muns = clean_ids("municipalities", &query.municipalities)?;
    let years = clean_years(&query.years)?;
    let given = [!kpis.is_empty(), !muns.is_empty(), !years.is_empty()]
        .iter()
        .filter(|&&g| g)
        .count();
    if given < 2 {
        return Err(Error::invalid(
            "kpis/municipalities/years",
            "Kolada needs at least two of kpis, municipalities and years",
        ));
    }
    let dims: [(&str, Vec<String>); 3] = [
        ("kpi", segments(&kpis)),
        ("municipality", segments(&muns)),
        ("year", segments(&years)),
    ];
    let mut paths = vec![format!("{b}/data")];
    for (name, segs) in &dims {
        if segs.is_empty() {
            continue;
        }
        paths = paths
            .iter()
            .flat_map(|p| segs.iter().map(move |s| format!("{p}/{name}/{s}")))
            .collect();
    }
    if let Some(n) = per_page {
        let suffix = format!("?per_page={n}");
        for p in &mut paths {
            p.push_str(&suffix);
        }
    }
    Ok(paths)
}

/// The request URLs for a metadata query: all records (`ids` empty), the given ids
/// (chunks of ≤25), and optionally a title search (`?title=`, URL-encoded).
///
/// ```
/// use jamlik::data::kolada::url::{metadata_urls, Entity, V3_BASE};
/// let urls = metadata_urls(V3_BASE, Entity::MunicipalityGroups, &[], Some("Liknande kommuner socioekonomi"), None)?;
/// assert_eq!(urls, ["https://api.kolada.se/v3/municipality_groups?title=Liknande%20kommuner%20socioekonomi"]);
/// # Ok::<(), jamlik::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for an invalid id, `per_page` or `base_url`.
pub fn metadata_urls(
    base_url: &str,
    entity: Entity,
    ids: &[String],
    title: Option<&str>,
    per_page: Option<u32>,
) -> Result<Vec<String>> {
    let b = base(base_url)?;
    check_per_page(per_page)?;
    let ids = clean_ids("ids", ids)?;
    let mut params = Vec::new();
    if let Some(t) = title {
        params.push(format!("title={}", utf8_percent_encode(t, QUERY_VALUE)));
    }
    if let Some(n) = per_page {
        params.push(format!("per_page={n}"));
    }
    let query = if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    };
    let path = entity.path();
    if ids.is_empty() {
        return Ok(vec![format!("{b}/{path}{query}")]);
    }
    Ok(segments(&ids)
        .into_iter()
        .map(|s| format!("{b}/{path}/{s}{query}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize, prefix: &str) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i:04}")).collect()
    }

    #[test]
    fn chunks_every_segment_and_takes_the_product() {
        let q = DataQuery {
            kpis: ids(26, "N"),
            municipalities: ids(51, ""),
            years: (1990..2020).collect(),
        };
        let urls = data_urls("http://x/v3/", &q, Some(100)).unwrap();
        assert_eq!(urls.len(), 2 * 3 * 2);
        for u in &urls {
            let path = u.split('?').next().unwrap();
            for seg in path.split('/') {
                assert!(seg.split(',').count() <= MAX_IDS_PER_SEGMENT);
            }
            assert!(u.ends_with("?per_page=100"));
        }
        assert!(urls[0].starts_with("http://x/v3/data/kpi/N0000,"));
    }

    #[test]
    fn two_of_three_and_dedup() {
        let q = DataQuery {
            kpis: vec!["N1".into(), "N1".into()],
            municipalities: vec![],
            years: vec![2020, 2020],
        };
        assert_eq!(
            data_urls(V3_BASE, &q, None).unwrap(),
            ["https://api.kolada.se/v3/data/kpi/N1/year/2020"]
        );
        let q = DataQuery {
            kpis: vec!["N1".into()],
            ..DataQuery::default()
        };
        assert!(data_urls(V3_BASE, &q, None).is_err());
    }

    #[test]
    fn rejects_bad_ids_years_and_per_page() {
        let mut q = DataQuery {
            kpis: vec!["N1/../x".into()],
            municipalities: vec!["0180".into()],
            years: vec![],
        };
        assert!(data_urls(V3_BASE, &q, None).is_err());
        q.kpis = vec!["N1".into()];
        q.years = vec![1800];
        let e = data_urls(V3_BASE, &q, None).unwrap_err();
        assert!(e.to_string().contains("1800"));
        q.years = vec![2020];
        assert!(data_urls(V3_BASE, &q, Some(0)).is_err());
        assert!(data_urls("ftp://x", &q, None).is_err());
    }
}
