//! The shipped geography file: structure, and against the Kolada reference snapshot
//! in ../shared (skipped with a message when absent).

mod common;
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
