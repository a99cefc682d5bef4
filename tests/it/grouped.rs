//! Grouped dispatch (`jamlik::grouped`): every group in one call equals the
//! per-group calls bit for bit, in first-appearance order; undefined groups
//! become rows with a note; invalid input fails naming the group.

use jamlik::Error;
use jamlik::MissingPolicy;
use jamlik::grouped::{
    NOT_COMPUTED, Partition, atkinson_by, concentration_index_by, generalized_entropy_by, gini_by,
    hoover_by, kakwani_by, quantile_share_ratio_by,
};
use jamlik::measures::microdata::{
    ConcentrationOptions, Design, GiniOptions, InequalityOptions, Kind, OutcomeBounds, atkinson,
    concentration_index, generalized_entropy, gini, hoover, kakwani, palma, quantile_share_ratio,
};
use proptest::prelude::*;

/// Deterministic pseudo-random data: `n` rows in groups with shuffled codes.
fn data(n: usize, groups: i64, seed: u64) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<i64>) {
    let mut s = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut next = move || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut h = Vec::new();
    let mut x = Vec::new();
    let mut w = Vec::new();
    let mut by = Vec::new();
    for _ in 0..n {
        h.push(0.5 + 9.0 * next());
        x.push((next() * 50.0).floor());
        w.push(0.5 + next());
        by.push(((next() * groups as f64) as i64) * 7 + 3);
    }
    (h, x, w, by)
}

/// Rows of each group in first-appearance order, as (code, rows).
fn split(by: &[i64]) -> Vec<(i64, Vec<usize>)> {
    let mut out: Vec<(i64, Vec<usize>)> = Vec::new();
    for (i, &c) in by.iter().enumerate() {
        match out.iter_mut().find(|(k, _)| *k == c) {
            Some((_, rows)) => rows.push(i),
            None => out.push((c, vec![i])),
        }
    }
    out
}

fn pick(v: &[f64], rows: &[usize]) -> Vec<f64> {
    rows.iter().map(|&i| v[i]).collect()
}

#[test]
fn concentration_index_by_equals_per_group_calls_bitwise() {
    let (h, x, w, by) = data(5_000, 12, 1);
    for kind in [Kind::Standard, Kind::Generalized, Kind::Erreygers] {
        let opts = ConcentrationOptions {
            kind,
            limits: Some(OutcomeBounds {
                lower: 0.0,
                upper: Some(10.0),
            }),
            ..Default::default()
        };
        let design = Design {
            weights: Some(&w),
            ..Default::default()
        };
        let grouped = concentration_index_by(&h, &x, &by, design, &opts).unwrap();
        let groups = split(&by);
        assert_eq!(grouped.first_row.len(), groups.len());
        let rows = grouped.into_rows(opts.level).unwrap();
        for ((_, r), got) in groups.iter().zip(&rows) {
            let wg = pick(&w, r);
            let one = concentration_index(
                &pick(&h, r),
                &pick(&x, r),
                Design {
                    weights: Some(&wg),
                    ..Default::default()
                },
                &opts,
            )
            .unwrap();
            assert_eq!(one.estimate.value.to_bits(), got.value.to_bits());
            assert_eq!(one.estimate.se.map(f64::to_bits), got.se.map(f64::to_bits));
            assert_eq!(one.estimate.lower, got.lower);
            assert_eq!(Some(one.n), got.n);
            assert_eq!(one.estimate.method, got.method);
        }
    }
}

#[test]
fn inequality_indices_by_equal_per_group_calls_bitwise() {
    let (h, _, w, by) = data(3_000, 9, 2);
    let design = Design {
        weights: Some(&w),
        ..Default::default()
    };
    let groups = split(&by);
    let g = gini_by(&h, &by, design, &GiniOptions::default()).unwrap();
    let ge = generalized_entropy_by(&h, 2.0, &by, design, &InequalityOptions::default()).unwrap();
    let at = atkinson_by(&h, 1.0, &by, design, &InequalityOptions::default()).unwrap();
    let (g, ge, at) = (
        g.into_rows(0.95).unwrap(),
        ge.into_rows(0.95).unwrap(),
        at.into_rows(0.95).unwrap(),
    );
    for (k, (_, r)) in groups.iter().enumerate() {
        let (hg, wg) = (pick(&h, r), pick(&w, r));
        let d = Design {
            weights: Some(&wg),
            ..Default::default()
        };
        assert_eq!(gini(&hg, d, &GiniOptions::default()).unwrap(), g[k]);
        let opts = InequalityOptions::default();
        assert_eq!(generalized_entropy(&hg, 2.0, d, &opts).unwrap(), ge[k]);
        assert_eq!(atkinson(&hg, 1.0, d, &opts).unwrap(), at[k]);
    }
}

#[test]
fn groups_come_in_first_appearance_order() {
    let h = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
    let by = [9, 2, 9, 2, 5, 9, 5, 2];
    let r = gini_by(&h, &by, Design::default(), &GiniOptions::default()).unwrap();
    assert_eq!(r.first_row, vec![0, 1, 4]);
    assert_eq!(r.rows, vec![3, 3, 2]);
    let p = Partition::new(&by, 8, "values").unwrap();
    assert_eq!(p.len(), 3);
    assert_eq!(p.range(1), 3..6);
    assert_eq!(&*p.gather(&h), &[1.0, 3.0, 6.0, 2.0, 4.0, 8.0, 5.0, 7.0]);
    // Rows already grouped are used in place.
    let sorted = [4, 4, 1, 1, 1];
    let q = Partition::new(&sorted, 5, "values").unwrap();
    assert!(matches!(q.gather(&h[..5]), std::borrow::Cow::Borrowed(_)));
    assert!(q.in_place() && q.bytes_per_row() == 0);
    // Scattered rows keep one u32 row number each, and a group's slice is
    // gathered in row order.
    assert!(!p.in_place() && p.bytes_per_row() == 4);
    let mut buf = Vec::new();
    assert_eq!(p.group(&h, 2, &mut buf), &[5.0, 7.0]);
    assert_eq!(q.group(&h[..5], 1, &mut buf), &[3.0, 4.0, 5.0]);
    // Codes far apart (negative, huge) take the hashed path: same partition.
    let wide = [i64::MAX, -3, i64::MAX, -3, 0, i64::MAX, 0, -3];
    let w = Partition::new(&wide, 8, "values").unwrap();
    assert_eq!(&*w.gather(&h), &*p.gather(&h));
    assert_eq!(w.first_rows(), p.first_rows());
    assert_eq!(
        (0..3).map(|g| w.range(g)).collect::<Vec<_>>(),
        (0..3).map(|g| p.range(g)).collect::<Vec<_>>()
    );
}

#[test]
fn one_row_and_emptied_groups_get_a_note_not_an_error() {
    // Group 1 has one row; group 2 loses every row to missing="drop".
    let h = [1.0, 2.0, 3.0, 4.0, 5.0, f64::NAN, f64::NAN];
    let x = [1.0, 2.0, 3.0, 4.0, 1.0, 1.0, 2.0];
    let by = [0, 0, 0, 0, 1, 2, 2];
    let opts = ConcentrationOptions {
        missing: MissingPolicy::Drop,
        ..Default::default()
    };
    let r = concentration_index_by(&h, &x, &by, Design::default(), &opts).unwrap();
    assert!(r.input_error().is_none());
    let rows = r.into_rows(0.95).unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows[0].value.is_finite());
    for row in &rows[1..] {
        assert!(row.value.is_nan());
        assert_eq!(row.method, NOT_COMPUTED);
        assert!(
            row.note
                .as_deref()
                .unwrap()
                .starts_with("not computed for this group")
        );
    }
    assert_eq!(rows[1].n, Some(1));
    assert_eq!(rows[2].n, Some(2));
}

#[test]
fn invalid_input_fails_naming_the_group() {
    let h = [1.0, 2.0, 3.0, 4.0, f64::NAN, 6.0];
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let by = [0, 0, 0, 1, 1, 1];
    let r = concentration_index_by(
        &h,
        &x,
        &by,
        Design::default(),
        &ConcentrationOptions::default(),
    )
    .unwrap();
    let (g, e) = r.input_error().unwrap();
    assert_eq!(g, 1);
    assert!(matches!(e, Error::Missing { arg: "outcome", .. }));
    assert!(r.into_rows(0.95).is_err());
    // Whole-call errors: lengths and the level.
    let short = [0, 1];
    assert!(matches!(
        concentration_index_by(
            &h,
            &x,
            &short,
            Design::default(),
            &ConcentrationOptions::default()
        ),
        Err(Error::LengthMismatch { arg: "by", .. })
    ));
    let bad = ConcentrationOptions {
        level: 1.5,
        ..Default::default()
    };
    assert!(matches!(
        concentration_index_by(&h, &x, &by, Design::default(), &bad),
        Err(Error::InvalidLevel { .. })
    ));
    assert!(matches!(
        gini_by(&[], &[], Design::default(), &GiniOptions::default()),
        Err(Error::Empty { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Any group coding gives the per-group results, whatever the row order.
    #[test]
    fn grouped_gini_matches_per_group(n in 2usize..300, groups in 1i64..8, seed in 0u64..1000) {
        let (h, _, w, by) = data(n, groups, seed);
        let d = Design { weights: Some(&w), ..Default::default() };
        let rows = gini_by(&h, &by, d, &GiniOptions::default()).unwrap().into_rows(0.95).unwrap();
        for ((_, r), got) in split(&by).iter().zip(&rows) {
            let (hg, wg) = (pick(&h, r), pick(&w, r));
            let dg = Design { weights: Some(&wg), ..Default::default() };
            if let Ok(e) = gini(&hg, dg, &GiniOptions::default()) {
                prop_assert_eq!(&e, got);
            } else {
                prop_assert_eq!(got.method.as_str(), NOT_COMPUTED);
            }
        }
    }
}

#[test]
fn share_indices_and_kakwani_by_equal_per_group_calls_bitwise() {
    let (h, x, w, by) = data(4_000, 7, 5);
    let design = Design {
        weights: Some(&w),
        ..Default::default()
    };
    let opts = InequalityOptions::default();
    let groups = split(&by);
    let hv = hoover_by(&h, &by, design, &opts)
        .unwrap()
        .into_rows(0.95)
        .unwrap();
    let qs = quantile_share_ratio_by(&h, 0.2, 0.8, &by, design, &opts)
        .unwrap()
        .into_rows(0.95)
        .unwrap();
    let pa = quantile_share_ratio_by(&h, 0.4, 0.9, &by, design, &opts)
        .unwrap()
        .into_rows(0.95)
        .unwrap();
    let income: Vec<f64> = h.iter().zip(&x).map(|(a, b)| a * 2.0 + b).collect();
    let ka = kakwani_by(&h, &income, &by, design, &opts)
        .unwrap()
        .into_rows(0.95)
        .unwrap();
    assert_eq!(hv.len(), groups.len());
    for (k, (_, r)) in groups.iter().enumerate() {
        let (hg, wg, ig) = (pick(&h, r), pick(&w, r), pick(&income, r));
        let d = Design {
            weights: Some(&wg),
            ..Default::default()
        };
        assert_eq!(hoover(&hg, d, &opts).unwrap(), hv[k]);
        assert_eq!(
            quantile_share_ratio(&hg, 0.2, 0.8, d, &opts).unwrap(),
            qs[k]
        );
        assert_eq!(palma(&hg, d, &opts).unwrap(), pa[k]);
        let one = kakwani(&hg, &ig, d, &opts).unwrap();
        assert_eq!(one.estimate.with_n(one.n), ka[k]);
    }
}

#[test]
fn share_indices_and_kakwani_by_reject_bad_input() {
    let h = [1.0, 2.0, 3.0, 4.0, 2.0, -1.0, 3.0];
    let by = [0, 0, 0, 0, 1, 1, 1];
    let opts = InequalityOptions::default();
    // A bad share fails the call before any group runs.
    assert!(matches!(
        quantile_share_ratio_by(&h, 0.6, 0.5, &by, Design::default(), &opts),
        Err(Error::InvalidArgument { arg: "upper", .. })
    ));
    // A negative value fails, naming group 1 (the second in first-appearance order).
    let r = hoover_by(&h, &by, Design::default(), &opts).unwrap();
    assert_eq!(r.input_error().map(|(g, _)| g), Some(1));
    assert!(r.into_rows(0.95).is_err());
    let income = [1.0, 2.0, 3.0, 4.0, f64::NAN, 1.0, 2.0];
    let r = kakwani_by(&h.map(f64::abs), &income, &by, Design::default(), &opts).unwrap();
    assert!(matches!(r.input_error(), Some((1, Error::Missing { .. }))));
    // One row: undefined, a NaN row with a note.
    let r = kakwani_by(
        &[1.0, 2.0, 3.0],
        &[1.0, 2.0, 4.0],
        &[5, 5, 6],
        Design::default(),
        &opts,
    )
    .unwrap()
    .into_rows(0.95)
    .unwrap();
    assert!(r[0].value.is_finite());
    assert!(r[1].value.is_nan());
    assert_eq!(r[1].method, NOT_COMPUTED);
    assert_eq!(r[1].n, Some(1));
}
