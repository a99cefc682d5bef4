//! Kolada metadata types: KPIs, municipalities (and regions) and groups.
//!
//! Field names follow the API, except `is_divided_by_gender`, which is
//! [`Kpi::is_divided_by_sex`] (jamlik says `sex` everywhere). v2 and v3 differ in small ways that these types
//! absorb so callers see one shape: v2 sends `is_divided_by_gender` as `0`/`1`
//! and the KPI's responsible body as `auspices`; v3 sends booleans and
//! `auspice`. Unknown extra fields are ignored, so a new field in the API does
//! not break parsing.

use serde::{Deserialize, Deserializer, Serialize};

/// Which level a KPI is published for (`municipality_type` in the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KpiLevel {
    /// `K`: municipalities (kommuner).
    #[serde(rename = "K")]
    Municipality,
    /// `L`: regions (landsting/regioner) and the nation.
    #[serde(rename = "L")]
    Region,
    /// `A`: both municipalities and regions.
    #[serde(rename = "A")]
    All,
}

impl KpiLevel {
    /// Kolada's one-letter code.
    pub fn code(self) -> &'static str {
        match self {
            KpiLevel::Municipality => "K",
            KpiLevel::Region => "L",
            KpiLevel::All => "A",
        }
    }
}

/// Kind of area in Kolada's `municipality` entity (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AreaType {
    /// `K`: a municipality (kommun), 290 of them.
    #[serde(rename = "K")]
    Municipality,
    /// `L`: a region (landsting), 21 of them, and `0000` Riket (the nation).
    #[serde(rename = "L")]
    Region,
}

impl AreaType {
    /// Kolada's one-letter code.
    pub fn code(self) -> &'static str {
        match self {
            AreaType::Municipality => "K",
            AreaType::Region => "L",
        }
    }
}

/// Metadata of one key performance indicator (nyckeltal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    /// KPI id, for example `N80401`.
    pub id: String,
    /// Title in Swedish.
    pub title: String,
    /// Description in Swedish (often ends with the source, "Källa: …").
    #[serde(default, deserialize_with = "null_as_empty")]
    pub description: String,
    /// Whether values are published for women (`K`) and men (`M`) as well as the total
    /// (Kolada's `is_divided_by_gender`; v2 sends `0`/`1`, v3 `false`/`true`).
    #[serde(
        default,
        alias = "is_divided_by_gender",
        deserialize_with = "flexible_bool"
    )]
    pub is_divided_by_sex: bool,
    /// Level the KPI is published for.
    pub municipality_type: Option<KpiLevel>,
    /// Code of the body behind the KPI (`auspice` in v3, `auspices` in v2; meaning of the
    /// codes is not documented by Kolada).
    #[serde(default, alias = "auspices")]
    pub auspice: Option<String>,
    /// Operating area (verksamhetsområde).
    #[serde(default)]
    pub operating_area: Option<String>,
    /// Perspective (for example "Kvalitet och resultat").
    #[serde(default)]
    pub perspective: Option<String>,
    /// Next publication date (`YYYY-MM-DD`).
    #[serde(default)]
    pub publication_date: Option<String>,
    /// Preliminary publication date (v3).
    #[serde(default)]
    pub prel_publication_date: Option<String>,
    /// Period of the next publication (v3).
    #[serde(default, deserialize_with = "string_or_number")]
    pub publ_period: Option<String>,
    /// Whether values exist for organisational units (v3; some v2 records too).
    #[serde(default, deserialize_with = "flexible_opt_bool")]
    pub has_ou_data: Option<bool>,
    /// Publication date of organisational-unit data (v2 only).
    #[serde(default)]
    pub ou_publication_date: Option<String>,
}

/// A municipality, region or the nation (`0000` Riket).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    /// Four-digit id with leading zeros: `0180` Stockholm, `0001` Region Stockholm.
    pub id: String,
    /// Name, for example "Stockholm" or "Region Halland".
    pub title: String,
    /// Municipality (`K`) or region/nation (`L`).
    #[serde(rename = "type")]
    pub area_type: AreaType,
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMember {
    /// Member id (a municipality id in municipality groups, a KPI id in KPI groups).
    pub id: String,
    /// Member title.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub title: String,
}

/// A municipality group or KPI group: an id (`G…`), a title and its members.
///
/// Kolada publishes group values as unweighted means of the members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Group id, for example `G92787`.
    pub id: String,
    /// Title, for example "Storstäder (ovägt medel)".
    pub title: String,
    /// Members, as published.
    #[serde(default, deserialize_with = "null_as_default")]
    pub members: Vec<GroupMember>,
}

/// `null` (or absent, with `#[serde(default)]`) becomes the empty string.
fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A boolean sent either as JSON `true`/`false` (v3) or `0`/`1` (v2).
#[derive(Deserialize)]
#[serde(untagged)]
enum BoolLike {
    Bool(bool),
    Int(i64),
}

fn bool_like<E: serde::de::Error>(v: BoolLike) -> Result<bool, E> {
    match v {
        BoolLike::Bool(b) => Ok(b),
        BoolLike::Int(0) => Ok(false),
        BoolLike::Int(1) => Ok(true),
        BoolLike::Int(other) => Err(E::custom(format!("expected a boolean or 0/1, got {other}"))),
    }
}

fn flexible_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match Option::<BoolLike>::deserialize(d)? {
        None => Ok(false),
        Some(v) => bool_like(v),
    }
}

pub(crate) fn flexible_opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Option::<BoolLike>::deserialize(d)?
        .map(bool_like)
        .transpose()
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrNumber {
    Str(String),
    Int(i64),
    Float(f64),
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<StringOrNumber>::deserialize(d)?.map(|v| match v {
        StringOrNumber::Str(s) => s,
        StringOrNumber::Int(i) => i.to_string(),
        StringOrNumber::Float(f) => f.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_and_v3_kpi_records_read_the_same() {
        let v2 = r#"{"auspices":"T","id":"N80401","is_divided_by_gender":1,
            "municipality_type":"L","title":"Kariesfria","publ_period":2024,
            "has_ou_data":false,"unexpected":{"nested":[1,2]}}"#;
        let v3 = r#"{"id":"N80401","title":"Kariesfria","description":null,
            "is_divided_by_gender":true,"municipality_type":"L","auspice":"T",
            "publ_period":"2024","has_ou_data":false}"#;
        let a: Kpi = serde_json::from_str(v2).unwrap();
        let b: Kpi = serde_json::from_str(v3).unwrap();
        assert_eq!(a, b);
        assert!(a.is_divided_by_sex);
        assert_eq!(a.auspice.as_deref(), Some("T"));
        assert_eq!(a.municipality_type, Some(KpiLevel::Region));
    }

    #[test]
    fn gender_flag_other_than_0_or_1_is_an_error() {
        let bad = r#"{"id":"N1","title":"x","is_divided_by_gender":2}"#;
        assert!(serde_json::from_str::<Kpi>(bad).is_err());
    }

    #[test]
    fn municipality_type_codes() {
        let m: Municipality =
            serde_json::from_str(r#"{"id":"0000","title":"Riket","type":"L"}"#).unwrap();
        assert_eq!(m.area_type, AreaType::Region);
        assert_eq!(m.area_type.code(), "L");
    }
}
