//! The shipped geography file: structure, and against the Kolada reference snapshot
//! in ../shared (skipped with a message when absent).

use crate::common;
use jamlik::data::geography::{AreaKind, Geography};

#[test]
fn structure() {
    let geo = Geography::embedded().unwrap();
    assert_eq!(geo.areas().len(), 312);
    assert_eq!(geo.municipalities().count(), 290);
    assert_eq!(geo.regions().count(), 21);
    assert_eq!(geo.area("0000").unwrap().kind, AreaKind::Nation);
    assert_eq!(geo.skr_groups().len(), 9);
    let sizes: usize = geo
        .skr_groups()
        .iter()
        .map(|g| geo.skr_group_members(&g.code).count())
        .sum();
    assert_eq!(sizes, 290);
    for m in geo.municipalities() {
        let cc = m.county_code.as_deref().unwrap();
        assert_eq!(&m.id[..2], cc);
        assert_eq!(m.region_id.as_deref(), Some(format!("00{cc}").as_str()));
        assert_eq!(m.similar_ids.len(), 7, "{}", m.id);
        assert!(!m.similar_ids.contains(&m.id));
        assert!(m.similar_ids.windows(2).all(|w| w[0] < w[1]));
        let gid = m.skr_group_id.as_deref().unwrap();
        assert!(("G92786"..="G92794").contains(&gid), "{gid}");
    }
    assert_eq!(geo.find("arboga").unwrap().id, "1984");
    assert_eq!(geo.find("Gotland").unwrap().id, "0980");
    assert_eq!(geo.region_of("1984").unwrap().title, "Region Västmanland");
    assert!(geo.find("Atlantis").is_err());
    assert_eq!(geo.county_municipalities("19").count(), 10);
}

#[test]
fn malformed_files_are_parse_errors() {
    assert!(Geography::from_csv("id,title\n", "code,name,kolada_group_id\n").is_err());
    let head = "id,title,type,county_code,region_id,skr_group_code,skr_group_id,similar_group_id,similar_group_year,similar_ids\n";
    assert!(
        Geography::from_csv(
            &format!("{head}0000,Riket,X,,,,,,,\n"),
            "code,name,kolada_group_id\n"
        )
        .is_err()
    );
    assert!(
        Geography::from_csv(
            &format!("{head}0180,Stockholm,K,01,0001,A1,G92787,,,\n"),
            "code,name,kolada_group_id\n"
        )
        .is_err()
    );
}

#[test]
fn matches_the_kolada_reference_snapshot() {
    let Some(path) = common::shared("reference/kolada/municipalities.csv") else {
        return;
    };
    let Some(sim_path) =
        common::shared("reference/kolada/similar_municipalities_socioeconomic.csv")
    else {
        return;
    };
    let Some(grp_path) = common::shared("reference/kolada/skr_municipality_groups.csv") else {
        return;
    };
    let geo = Geography::embedded().unwrap();
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let mut n = 0;
    for rec in rdr.records() {
        let r = rec.unwrap();
        let a = geo.area(&r[0]).unwrap();
        assert_eq!(a.title, &r[1]);
        assert_eq!(
            if a.kind == AreaKind::Municipality {
                "K"
            } else {
                "L"
            },
            &r[2]
        );
        assert_eq!(a.county_code.as_deref().unwrap_or(""), &r[3]);
        if a.kind == AreaKind::Municipality {
            assert_eq!(a.region_id.as_deref().unwrap_or(""), &r[4]);
        }
        assert_eq!(a.skr_group_code.as_deref().unwrap_or(""), &r[7]);
        assert_eq!(a.skr_group_id.as_deref().unwrap_or(""), &r[8]);
        assert_eq!(a.similar_group_id.as_deref().unwrap_or(""), &r[9]);
        n += 1;
    }
    assert_eq!(n, 312);
    let mut rdr = csv::Reader::from_path(sim_path).unwrap();
    let mut m = 0;
    for rec in rdr.records() {
        let r = rec.unwrap();
        let a = geo.area(&r[0]).unwrap();
        let mut members: Vec<&str> = r[6].split(';').collect();
        members.sort_unstable();
        assert_eq!(a.similar_ids, members, "{}", &r[0]);
        assert_eq!(a.similar_group_year, Some(r[4].parse().unwrap()));
        m += 1;
    }
    assert_eq!(m, 290);
    let mut rdr = csv::Reader::from_path(grp_path).unwrap();
    for rec in rdr.records() {
        let r = rec.unwrap();
        let g = geo.skr_groups().iter().find(|g| g.code == r[0]).unwrap();
        assert_eq!(g.kolada_group_id, &r[3]);
        assert_eq!(g.name, &r[2]);
        let ids: Vec<&str> = geo
            .skr_group_members(&r[0])
            .map(|a| a.id.as_str())
            .collect();
        let mut want: Vec<&str> = r[6].split(';').collect();
        want.sort_unstable();
        let mut got = ids.clone();
        got.sort_unstable();
        assert_eq!(got, want);
    }
}

fn id_of(geo: &Geography, query: &str) -> String {
    match geo.find(query) {
        Ok(a) => a.id.clone(),
        Err(e) => panic!("{query:?}: {e}"),
    }
}

#[test]
fn find_resolves_ids_and_names_one_way() {
    let geo = Geography::shared().unwrap();
    for (query, id) in [
        ("180", "0180"),
        ("0180", "0180"),
        ("00180", "0180"),
        (" 0180 ", "0180"),
        ("Stockholm", "0180"),
        ("stockholm", "0180"),
        ("STOCKHOLM", "0180"),
        ("Vasteras", "1980"),
        ("västerås", "1980"),
        ("  Malmö ", "1280"),
        ("malmo", "1280"),
        ("Göteborg", "1480"),
        ("goteborg", "1480"),
        ("upplands bro", "0139"),
        ("Upplands  Väsby", "0114"),
        // Regions by id, full title and short name; the municipality wins a shared name.
        ("1", "0001"),
        ("0001", "0001"),
        ("19", "0019"),
        ("Region Stockholm", "0001"),
        ("region uppsala", "0003"),
        ("Västmanland", "0019"),
        ("jonkopings lan", "0006"),
        ("Västra Götaland", "0014"),
        ("Uppsala", "0380"),
        ("Kalmar", "0880"),
        ("Gotland", "0980"),
        ("Region Gotland", "0009"),
        // The nation.
        ("0000", "0000"),
        ("0", "0000"),
        ("Riket", "0000"),
        ("sverige", "0000"),
        // Exact letters win over folding: Habo and Håbo are two municipalities.
        ("Habo", "0643"),
        ("HABO", "0643"),
        ("Håbo", "0305"),
        ("håbo", "0305"),
    ] {
        assert_eq!(id_of(geo, query), id, "{query:?}");
    }
    // Every title finds its own area.
    for a in geo.areas() {
        assert_eq!(geo.find(&a.title).unwrap().id, a.id, "{}", a.title);
        assert_eq!(geo.find(&a.id).unwrap().id, a.id);
    }
}

#[test]
fn unknown_areas_suggest_the_nearest_names() {
    let geo = Geography::shared().unwrap();
    let e = geo.find("Vasterxs").unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown municipality or area `Vasterxs`; did you mean `Västerås` (1980)?"
    );
    let jamlik::Error::UnknownArea { query, suggestions } = e else {
        panic!("{e:?}")
    };
    assert_eq!(query, "Vasterxs");
    assert_eq!(suggestions[0], ("Västerås".to_string(), "1980".to_string()));
    assert!(suggestions.len() <= 3);
    // A misspelling close to several names lists at most three, nearest first.
    let e = geo.find("Stokholm").unwrap_err();
    let jamlik::Error::UnknownArea { suggestions, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(suggestions[0].1, "0180", "{e}");
    assert!(suggestions.len() <= 3);
    // Nothing near: the message says what a query looks like.
    let msg = geo.find("Atlantis").unwrap_err().to_string();
    assert!(
        msg.starts_with("unknown municipality or area `Atlantis`"),
        "{msg}"
    );
    // Unknown ids and bad input are errors, never panics.
    for q in ["0199", "9999", "12345", "-1", "G92787", "ä", "\u{0}"] {
        assert!(
            matches!(geo.find(q), Err(jamlik::Error::UnknownArea { .. })),
            "{q:?}"
        );
    }
    assert!(matches!(
        geo.find("   "),
        Err(jamlik::Error::InvalidArgument { arg: "area", .. })
    ));
    // A folded name that fits two areas is ambiguous and names both.
    let msg = geo.find("Hábo").unwrap_err().to_string();
    assert!(
        msg.contains("`Håbo` (0305)") && msg.contains("`Habo` (0643)"),
        "{msg}"
    );
}

#[test]
fn resolve_passes_group_ids_and_resolves_areas() {
    let geo = Geography::shared().unwrap();
    assert_eq!(geo.resolve("G92787").unwrap(), "G92787");
    assert_eq!(geo.resolve(" g92787").unwrap(), "G92787");
    assert_eq!(geo.resolve("Arboga").unwrap(), "1984");
    assert_eq!(geo.resolve("180").unwrap(), "0180");
    assert!(geo.resolve("G").is_err());
    assert!(geo.resolve("Gx1").is_err());
}

mod properties {
    use jamlik::data::geography::{Geography, fold};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any text is an area or a typed error, never a panic; a found area is
        /// found again by its id and its title.
        #[test]
        fn find_never_panics(query in "\\PC{0,24}") {
            let geo = Geography::shared().unwrap();
            if let Ok(a) = geo.find(&query) {
                prop_assert_eq!(&geo.find(&a.id).unwrap().id, &a.id);
                prop_assert_eq!(&geo.find(&a.title).unwrap().id, &a.id);
            }
        }

        /// Case, padding and diacritics of a title do not change the answer
        /// (except where the exact letters separate two areas: Habo/Håbo).
        #[test]
        fn titles_survive_case_padding_and_folding(i in 0usize..312, upper in any::<bool>(), pad in 0usize..3) {
            let geo = Geography::shared().unwrap();
            let a = &geo.areas()[i];
            let spaces = " ".repeat(pad);
            let title = if upper { a.title.to_uppercase() } else { a.title.to_lowercase() };
            prop_assert_eq!(&geo.find(&format!("{spaces}{title}{spaces}")).unwrap().id, &a.id);
            let folded = fold(&a.title);
            if a.title != "Habo" && a.title != "Håbo" {
                prop_assert_eq!(&geo.find(&folded).unwrap().id, &a.id);
            }
            prop_assert_eq!(fold(&folded), folded);
        }

        /// Every municipality id is found from its number without leading zeros.
        #[test]
        fn ids_are_zero_padded(i in 0usize..312) {
            let geo = Geography::shared().unwrap();
            let a = &geo.areas()[i];
            let n: u32 = a.id.parse().unwrap();
            prop_assert_eq!(&geo.find(&n.to_string()).unwrap().id, &a.id);
        }
    }
}
