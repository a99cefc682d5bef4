//! Many-case summaries: ordering decided per case, missing values dropped
//! (and `n` counted after dropping), several confidence levels, the HEAT
//! column contract, flags and levels refused with a message that says the fix.

use jamlik::measures::heat::columns::{COLUMNS, check_columns};
use jamlik::measures::heat::{
    Measure, Options, Subgroups, SummaryColumns, SummaryRow, measure, summarise_groups,
    summarise_groups_at, summarise_table,
};
use jamlik::{Error, MissingOptions, MissingPolicy};

const Y: [f64; 5] = [38.2, 45.6, 51.9, 60.3, 71.4];
const SE: [f64; 5] = [2.41, 2.27, 2.18, 2.05, 1.87];
const POP: [f64; 5] = [212_400.0, 198_700.0, 187_300.0, 176_900.0, 160_200.0];

/// Group ids, estimate, se, population and subgroup order of a frame.
type Frame = (Vec<i64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>);

/// Two cases of five rows each: case 0 ordered (orders 1..5), case 1 not
/// (order 0 on every row, as HEAT's data layout has it).
fn two_cases() -> Frame {
    let group = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1].to_vec();
    let y = [Y, [50.0, 61.0, 44.0, 58.0, 47.0]].concat();
    let se = [SE, SE].concat();
    let pop = [POP, POP].concat();
    let order = [[1.0, 2.0, 3.0, 4.0, 5.0], [0.0; 5]].concat();
    (group, y, se, pop, order)
}

fn measures_of(rows: &[SummaryRow], group: usize) -> Vec<Measure> {
    rows.iter()
        .filter(|r| r.group == group)
        .map(|r| r.measure)
        .collect()
}

fn value(rows: &[SummaryRow], group: usize, m: Measure) -> f64 {
    let row = rows
        .iter()
        .find(|r| r.group == group && r.measure == m)
        .unwrap_or_else(|| panic!("no {m} for group {group}"));
    row.result.as_ref().map_or(f64::NAN, |e| e.value)
}

#[test]
fn ordering_is_decided_per_case() {
    let (group, y, se, pop, order) = two_cases();
    let cols = SummaryColumns {
        group: Some(&group),
        estimate: &y,
        se: Some(&se),
        population: Some(&pop),
        subgroup_order: Some(&order),
        scale: Some(&[100.0; 10]),
        ..SummaryColumns::default()
    };
    let rows = summarise_groups(&cols, &Options::default()).unwrap();
    let ordered = measures_of(&rows, 0);
    for m in [Measure::Aci, Measure::Rci, Measure::Sii, Measure::Rii] {
        assert!(ordered.contains(&m), "ordered case lacks {m}: {ordered:?}");
    }
    assert!(!ordered.contains(&Measure::Bgv));
    let other = measures_of(&rows, 1);
    assert!(other.contains(&Measure::Bgv) && other.contains(&Measure::Mld));
    assert!(!other.iter().any(|m| m.needs_order()), "{other:?}");
    // The ordered case's numbers are those of the case alone.
    let alone = Subgroups::new(&Y)
        .se(&SE)
        .population(&POP)
        .subgroup_order(&[1.0, 2.0, 3.0, 4.0, 5.0])
        .scale(100.0)
        .build()
        .unwrap();
    for m in [Measure::Aci, Measure::Sii, Measure::D] {
        let want = measure(m, &alone, &Options::default()).unwrap().value;
        assert!((value(&rows, 0, m) - want).abs() < 1e-12, "{m}");
    }
    // An explicit ordered_dimension overrides the rule per case: case 0
    // declared non-ordered gets the non-ordered family.
    let declared = [[0.0; 5], [0.0; 5]].concat();
    let rows = summarise_groups(
        &SummaryColumns {
            ordered: Some(&declared),
            ..cols
        },
        &Options::default(),
    )
    .unwrap();
    assert!(!measures_of(&rows, 0).contains(&Measure::Aci));
}

#[test]
fn missing_order_or_repeated_order_means_not_ordered() {
    let y = [Y, Y].concat();
    let group = [[0_i64; 5], [1; 5]].concat();
    let order = [[1.0, 2.0, f64::NAN, 4.0, 5.0], [1.0, 2.0, 2.0, 3.0, 4.0]].concat();
    let pop = [POP, POP].concat();
    let rows = summarise_groups(
        &SummaryColumns {
            group: Some(&group),
            estimate: &y,
            population: Some(&pop),
            subgroup_order: Some(&order),
            ..SummaryColumns::default()
        },
        &Options::default(),
    )
    .unwrap();
    for g in [0, 1] {
        let ms = measures_of(&rows, g);
        assert!(
            ms.contains(&Measure::Bgv) && !ms.contains(&Measure::Aci),
            "{ms:?}"
        );
    }
}

#[test]
fn missing_values_error_or_drop_and_n_counts_after_dropping() {
    let y = [38.2, f64::NAN, 51.9, 60.3, 71.4];
    let pop = [212_400.0, 198_700.0, 187_300.0, f64::NAN, 160_200.0];
    let order = [1.0, 2.0, 3.0, 4.0, 5.0];
    let cols = SummaryColumns {
        estimate: &y,
        se: Some(&SE),
        population: Some(&pop),
        subgroup_order: Some(&order),
        scale: Some(&[100.0; 5]),
        ..SummaryColumns::default()
    };
    let e = summarise_groups(&cols, &Options::default()).unwrap_err();
    assert_eq!(
        e,
        Error::Missing {
            arg: "estimate",
            index: 1,
            options: MissingOptions::Drop
        }
    );
    assert!(e.to_string().contains("missing=\"drop\""), "{e}");
    assert!(!e.to_string().contains("zero"), "{e}");

    let drop = Options {
        missing: MissingPolicy::Drop,
        ..Options::default()
    };
    let rows = summarise_groups(&cols, &drop).unwrap();
    assert!(
        rows.iter().all(|r| r.n == 3),
        "n must count the 3 rows kept"
    );
    // Same numbers as the three complete subgroups alone, renumbered 1..3:
    // the gaps the dropped quintiles leave in the order are fine.
    let keep = [0, 2, 4];
    let pick = |c: &[f64]| keep.iter().map(|&i| c[i]).collect::<Vec<f64>>();
    let (ky, kse, kpop) = (pick(&y), pick(&SE), pick(&pop));
    let alone = Subgroups::new(&ky)
        .se(&kse)
        .population(&kpop)
        .subgroup_order(&[1.0, 2.0, 3.0])
        .scale(100.0)
        .build()
        .unwrap();
    for row in &rows {
        let want = measure(row.measure, &alone, &Options::default()).unwrap();
        let got = row.result.as_ref().unwrap();
        assert!((got.value - want.value).abs() < 1e-12, "{}", row.measure);
        assert_eq!(got.se, want.se, "{}", row.measure);
        assert_eq!(got.n, Some(3));
    }

    // A case with nothing left is named by its rows.
    let group = [0_i64, 0, 0, 1, 1];
    let y2 = [1.0, 2.0, 3.0, f64::NAN, f64::NAN];
    let e = summarise_groups(
        &SummaryColumns {
            group: Some(&group),
            estimate: &y2,
            ..SummaryColumns::default()
        },
        &drop,
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidArgument { arg: "estimate", reason } if reason.contains("[3, 4]")),
        "{e:?}"
    );

    // Single measures: n after dropping, and the same hint on error.
    let g = Subgroups::new(&y)
        .population(&POP)
        .missing(MissingPolicy::Drop)
        .build()
        .unwrap();
    assert_eq!(
        measure(Measure::Bgv, &g, &Options::default()).unwrap().n,
        Some(4)
    );
    let e = Subgroups::new(&Y).population(&pop).build().unwrap_err();
    assert!(
        matches!(
            e,
            Error::Missing {
                arg: "population",
                index: 3,
                options: MissingOptions::Drop
            }
        ),
        "{e:?}"
    );
    // Nothing left after dropping.
    let e = Subgroups::new(&[f64::NAN, f64::NAN])
        .missing(MissingPolicy::Drop)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                arg: "estimate",
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn several_levels_give_one_row_set_each() {
    let (group, y, se, pop, order) = two_cases();
    let cols = SummaryColumns {
        group: Some(&group),
        estimate: &y,
        se: Some(&se),
        population: Some(&pop),
        subgroup_order: Some(&order),
        scale: Some(&[100.0; 10]),
        ..SummaryColumns::default()
    };
    let o = Options::default();
    let both = summarise_groups_at(&cols, &o, &[0.9, 0.95]).unwrap();
    let at95 = summarise_groups(&cols, &o).unwrap();
    let at90 = summarise_groups(&cols, &Options { level: 0.9, ..o }).unwrap();
    assert_eq!(both.len(), at95.len() + at90.len());
    let pick =
        |level: f64| -> Vec<&SummaryRow> { both.iter().filter(|r| r.level == level).collect() };
    for (mine, alone) in [(pick(0.95), &at95), (pick(0.9), &at90)] {
        assert_eq!(mine.len(), alone.len());
        for (a, b) in mine.iter().zip(alone.iter()) {
            assert_eq!(a.measure, b.measure);
            assert_eq!(a.result, b.result);
        }
    }
    // Narrower at 0.9 wherever there is an interval.
    for (a, b) in pick(0.9).iter().zip(pick(0.95).iter()) {
        if let (Ok(a), Ok(b)) = (&a.result, &b.result)
            && let (Some(la), Some(lb)) = (a.lower, b.lower)
        {
            assert!(la >= lb, "{}", a.method);
        }
    }
    assert!(matches!(
        summarise_groups_at(&cols, &o, &[]),
        Err(Error::InvalidArgument { arg: "level", .. })
    ));
    let e = summarise_groups_at(&cols, &o, &[0.9, 95.0]).unwrap_err();
    assert!(matches!(e, Error::InvalidLevel { .. }), "{e:?}");
    assert!(e.to_string().contains("did you mean 0.95?"), "{e}");
}

#[test]
fn flags_must_be_zero_or_one_and_errors_name_the_column() {
    let flags = [1.0, 1.0, 2.0, 2.0, 2.0];
    for (set, column) in [
        (
            SummaryColumns {
                favourable: Some(&flags[2..]),
                ..SummaryColumns::default()
            },
            "favourable_indicator",
        ),
        (
            SummaryColumns {
                ordered: Some(&flags[2..]),
                ..SummaryColumns::default()
            },
            "ordered_dimension",
        ),
    ] {
        let cols = SummaryColumns {
            estimate: &Y[..3],
            ..set
        };
        let e = summarise_groups(&cols, &Options::default()).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidArgument { arg, reason } if *arg == column && reason.contains("1 or 0")),
            "{e:?}"
        );
    }
    // Builder errors carry the frame's column names.
    let scale = [-1.0; 3];
    let cols = SummaryColumns {
        estimate: &Y[..3],
        scale: Some(&scale),
        ..SummaryColumns::default()
    };
    let e = summarise_groups(&cols, &Options::default()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                arg: "scaleval",
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn column_contract() {
    assert_eq!(COLUMNS.iter().filter(|c| c.required).count(), 1);
    let mut cols = SummaryColumns::default();
    for c in COLUMNS {
        cols.set(c.name, &Y).unwrap();
    }
    assert_eq!(cols.scale, Some(&Y[..]));
    let e = cols.set("popultion", &Y).unwrap_err();
    assert!(
        matches!(&e, Error::Column { column, suggestions, .. }
            if column == "popultion" && suggestions == &["population".to_string()]),
        "{e:?}"
    );
    for (frame, column, look_alike) in [
        (vec!["estimate", "pop"], "population", "pop"),
        (vec!["estimate", "se_"], "se", "se_"),
        (
            vec!["estimate", "favorable_indicator"],
            "favourable_indicator",
            "favorable_indicator",
        ),
        (vec!["estimate", "scale"], "scaleval", "scale"),
        (vec!["Estimate"], "estimate", "Estimate"),
    ] {
        let e = check_columns(&frame, &[]).unwrap_err();
        assert!(
            matches!(&e, Error::Column { arg: "frame", column: c, suggestions, expected }
                if c == column && suggestions == &[look_alike.to_string()] && expected.len() == COLUMNS.len()),
            "{frame:?}: {e:?}"
        );
    }
    let fine = [
        "case_id",
        "setting",
        "year",
        "dimension",
        "subgroup",
        "sex",
        "estimate",
        "se",
    ];
    check_columns(&fine, &[]).unwrap();
    check_columns(&["estimate", "region_pop"], &["region_pop"]).unwrap();
}

/// One case of the coverage test, as the builder takes it.
struct Case {
    y: Vec<f64>,
    se: Option<Vec<f64>>,
    pop: Option<Vec<f64>>,
    order: Option<Vec<f64>>,
    reference: Option<usize>,
    favourable: bool,
    scale: Option<f64>,
    average: Option<f64>,
    bounds: Option<(f64, f64)>,
}

/// Cases that reach every measure and most method variants: ordered and
/// not, favourable and adverse, ties, references, zero estimates, missing
/// se/population/scale (undefined measures and missing CIs), setting
/// averages and bounds. A small LCG keeps them deterministic.
fn coverage_cases() -> Vec<Case> {
    let mut state = 12_345_u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..240)
        .map(|i| {
            let n = if i % 17 == 5 { 2 } else { 3 + i % 4 };
            let mut y: Vec<f64> = (0..n)
                .map(|_| ((1.0 + 98.0 * next()) * 10.0).round() / 10.0)
                .collect();
            if i % 9 == 4 {
                y[0] = 0.0;
            }
            if i % 10 == 2 && n > 2 {
                y[2] = y[1];
            }
            let ordered = i % 2 == 0;
            let scale = [Some(100.0), None, Some(1000.0)][i % 3];
            Case {
                se: (i % 7 != 0).then(|| (0..n).map(|_| 0.5 + 3.0 * next()).collect()),
                pop: (i % 5 != 0)
                    .then(|| (0..n).map(|_| (100.0 + 9000.0 * next()).round()).collect()),
                order: ordered.then(|| {
                    let mut o: Vec<f64> = (1..=n).map(|k| k as f64).collect();
                    o.rotate_left(i % n);
                    o
                }),
                reference: (!ordered && i % 4 == 1).then_some(i % n),
                favourable: i % 3 != 0,
                scale,
                average: (i % 6 == 0).then(|| y.iter().sum::<f64>() / n as f64),
                bounds: (i % 8 == 3 && scale == Some(100.0)).then_some((0.0, 100.0)),
                y,
            }
        })
        .collect()
}

fn build(c: &Case) -> Subgroups {
    let flags: Option<Vec<f64>> = c.reference.map(|r| {
        (0..c.y.len())
            .map(|j| if j == r { 1.0 } else { 0.0 })
            .collect()
    });
    let mut b = Subgroups::new(&c.y).favourable(c.favourable);
    if let Some(s) = &c.se {
        b = b.se(s);
    }
    if let Some(p) = &c.pop {
        b = b.population(p);
    }
    if let Some(o) = &c.order {
        b = b.subgroup_order(o);
    }
    if let Some(f) = &flags {
        b = b.reference_flags(f);
    }
    if let Some(s) = c.scale {
        b = b.scale(s);
    }
    if let Some(a) = c.average {
        b = b.setting_average(a);
    }
    if let Some((lo, hi)) = c.bounds {
        b = b.bounds(lo, hi);
    }
    b.build().unwrap()
}

/// Bits of an optional number, NaN for none (as the table stores it).
fn bits(v: Option<f64>) -> u64 {
    v.unwrap_or(f64::NAN).to_bits()
}

/// The columnar summary carries, for every row, the single measure's
/// numbers bitwise and its full `method` sentence and note through the code
/// tables; so the tables cannot drift from `Estimate.method`.
#[test]
fn table_rows_equal_the_single_measures_for_every_measure() {
    let cases = coverage_cases();
    let mut col: [Vec<f64>; 10] = Default::default();
    let mut group = Vec::new();
    for (k, c) in cases.iter().enumerate() {
        let n = c.y.len();
        let fill = |v: Option<f64>| vec![v.unwrap_or(f64::NAN); n];
        let parts: [Vec<f64>; 10] = [
            c.y.clone(),
            c.se.clone().unwrap_or_else(|| fill(None)),
            c.pop.clone().unwrap_or_else(|| fill(None)),
            c.order.clone().unwrap_or_else(|| vec![0.0; n]),
            fill(Some(if c.order.is_some() { 1.0 } else { 0.0 })),
            (0..n)
                .map(|j| if c.reference == Some(j) { 1.0 } else { 0.0 })
                .collect(),
            fill(Some(if c.favourable { 1.0 } else { 0.0 })),
            fill(c.scale),
            fill(c.average),
            fill(c.bounds.map(|b| b.0)),
        ];
        for (dst, src) in col.iter_mut().zip(parts) {
            dst.extend(src);
        }
        group.extend(std::iter::repeat_n(k as i64, n));
    }
    let lmax: Vec<f64> = cases
        .iter()
        .flat_map(|c| vec![c.bounds.map_or(f64::NAN, |b| b.1); c.y.len()])
        .collect();
    let [
        y,
        se,
        pop,
        order,
        ordered,
        reference,
        favourable,
        scale,
        average,
        lmin,
    ] = &col;
    let cols = SummaryColumns {
        group: Some(&group),
        estimate: y,
        se: Some(se),
        population: Some(pop),
        subgroup_order: Some(order),
        ordered: Some(ordered),
        reference: Some(reference),
        favourable: Some(favourable),
        scale: Some(scale),
        setting_average: Some(average),
        lmin: Some(lmin),
        lmax: Some(&lmax),
    };
    let o = Options {
        draws: 30,
        seed: 7,
        ..Options::default()
    };
    let levels = [0.9, 0.95];
    let t = summarise_table(&cols, &o, &levels).unwrap();
    let rows = summarise_groups_at(&cols, &o, &levels).unwrap();
    assert_eq!(t.group.len(), rows.len());
    let mut seen = std::collections::HashSet::new();
    let (mut computed, mut undefined, mut noted) = (0, 0, 0);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(
            (t.group[i], t.measure[i], t.level[i].to_bits(), t.n[i]),
            (row.group, row.measure, row.level.to_bits(), row.n)
        );
        let g = build(&cases[row.group]);
        assert_eq!(t.n[i], g.len());
        let single = measure(
            row.measure,
            &g,
            &Options {
                level: row.level,
                ..o
            },
        );
        let method = &t.methods[t.method[i] as usize];
        let note = t.note[i].map(|k| t.notes[k as usize].as_str());
        match &single {
            Ok(e) => {
                computed += 1;
                assert_eq!(method, &e.method, "row {i} ({})", row.measure);
                assert_eq!(note, e.note.as_deref(), "row {i} ({})", row.measure);
                assert_eq!(
                    [t.value[i], t.se[i], t.lower[i], t.upper[i]].map(f64::to_bits),
                    [Some(e.value), e.se, e.lower, e.upper].map(bits),
                    "row {i} ({})",
                    row.measure
                );
                noted += usize::from(e.note.is_some());
            }
            Err(err) => {
                undefined += 1;
                assert_eq!(method, "not computed");
                assert_eq!(note, Some(err.to_string().as_str()));
                assert!(t.value[i].is_nan() && t.se[i].is_nan());
            }
        }
        // The per-row API agrees with the single measure too.
        assert_eq!(
            row.result.as_ref().map_err(ToString::to_string),
            single.as_ref().map_err(ToString::to_string)
        );
        seen.insert(row.measure);
    }
    assert_eq!(seen.len(), Measure::ALL.len(), "every measure is covered");
    assert!(
        computed > 1000 && undefined > 50 && noted > 100,
        "{computed} {undefined} {noted}"
    );
    // Each distinct text appears once in the tables.
    let distinct: std::collections::HashSet<&String> = t.methods.iter().collect();
    assert_eq!(distinct.len(), t.methods.len());
    assert!(t.methods.len() > 50, "{} distinct methods", t.methods.len());
}

#[test]
fn table_is_the_same_whatever_the_case_order_and_grouping_of_rows() {
    // Rows of a case need not be adjacent (the table copies them then).
    let (group, y, se, pop, order) = two_cases();
    let perm = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
    let pick = |v: &[f64]| perm.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let group2: Vec<i64> = perm.iter().map(|&i| group[i]).collect();
    let (y2, se2, pop2, order2) = (pick(&y), pick(&se), pick(&pop), pick(&order));
    let scale = [100.0; 10];
    let a = SummaryColumns {
        group: Some(&group),
        estimate: &y,
        se: Some(&se),
        population: Some(&pop),
        subgroup_order: Some(&order),
        scale: Some(&scale),
        ..SummaryColumns::default()
    };
    let b = SummaryColumns {
        group: Some(&group2),
        estimate: &y2,
        se: Some(&se2),
        population: Some(&pop2),
        subgroup_order: Some(&order2),
        scale: Some(&scale),
        ..SummaryColumns::default()
    };
    let (ta, tb) = (
        summarise_table(&a, &Options::default(), &[0.95]).unwrap(),
        summarise_table(&b, &Options::default(), &[0.95]).unwrap(),
    );
    assert_eq!(ta.group, tb.group);
    assert_eq!(ta.measure, tb.measure);
    let b2 = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
    assert_eq!(b2(&ta.value), b2(&tb.value));
    assert_eq!(b2(&ta.upper), b2(&tb.upper));
    // Method texts name input rows of the case, so they may differ between
    // layouts only through the rows they name; the ordered case's D names
    // rows 5 and 1 in both (its rows keep their order within the case).
    let text = |t: &jamlik::measures::heat::SummaryTable, i: usize| {
        t.methods[t.method[i] as usize].clone()
    };
    assert_eq!(text(&ta, 0), text(&tb, 0));
    assert!(text(&ta, 0).contains("rows 5 and 1"), "{}", text(&ta, 0));
}
