//! Bad input gives a typed error naming the argument (the list).

use jamlik::Error;
use jamlik::measures::heat::{Measure, Options, Subgroups, measure};

const Y: [f64; 4] = [20.0, 30.0, 40.0, 50.0];

fn opts() -> Options {
    Options::default()
}

#[test]
fn too_few_subgroups_except_d_and_r() {
    let g = Subgroups::new(&[40.0, 50.0])
        .population(&[1.0, 1.0])
        .scale(100.0)
        .build()
        .unwrap();
    for m in Measure::ALL {
        let r = measure(m, &g, &opts());
        if matches!(m, Measure::D | Measure::R) {
            assert!(r.is_ok(), "{m}");
        } else {
            assert!(
                matches!(
                    r,
                    Err(Error::TooFew {
                        needed: 3,
                        found: 2,
                        ..
                    })
                ),
                "{m}: {r:?}"
            );
        }
    }
}

#[test]
fn non_consecutive_order() {
    let e = Subgroups::new(&Y)
        .subgroup_order(&[1.0, 2.0, 3.0, 5.0])
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                arg: "subgroup_order",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn negative_or_missing_population() {
    let e = Subgroups::new(&Y)
        .population(&[1.0, -2.0, 3.0, 4.0])
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::OutOfDomain {
                arg: "population",
                index: 1,
                ..
            }
        ),
        "{e}"
    );
    let e = Subgroups::new(&Y)
        .population(&[1.0, f64::NAN, 3.0, 4.0])
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Missing {
                arg: "population",
                index: 1,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn nan_and_inf() {
    let e = Subgroups::new(&[1.0, f64::NAN, 3.0]).build().unwrap_err();
    assert!(
        matches!(
            e,
            Error::Missing {
                arg: "estimate",
                index: 1,
                ..
            }
        ),
        "{e}"
    );
    let e = Subgroups::new(&[1.0, f64::INFINITY, 3.0])
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::NonFinite {
                arg: "estimate",
                ..
            }
        ),
        "{e}"
    );
    let e = Subgroups::new(&Y)
        .se(&[1.0, f64::INFINITY, 1.0, 1.0])
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::NonFinite { arg: "se", .. }), "{e}");
}

#[test]
fn mismatched_lengths() {
    let e = Subgroups::new(&Y).se(&[1.0, 2.0]).build().unwrap_err();
    assert!(
        matches!(
            e,
            Error::LengthMismatch {
                arg: "se",
                expected: 4,
                found: 2,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn zero_mean_where_a_ratio_needs_it() {
    let g = Subgroups::new(&[0.0, 0.0, 0.0, 0.0])
        .population(&[1.0; 4])
        .subgroup_order(&[1.0, 2.0, 3.0, 4.0])
        .setting_average(0.0)
        .build()
        .unwrap();
    for m in [Measure::Rci, Measure::Paf] {
        let r = measure(m, &g, &opts());
        assert!(
            matches!(
                r,
                Err(Error::ZeroMean {
                    arg: "estimate",
                    ..
                })
            ),
            "{m}: {r:?}"
        );
    }
    let h = Subgroups::new(&[0.0, 0.0, 0.0, 0.0])
        .population(&[1.0; 4])
        .build()
        .unwrap();
    for m in [Measure::Cov, Measure::Idisw, Measure::Mld, Measure::Ti] {
        let r = measure(m, &h, &opts());
        assert!(
            matches!(
                r,
                Err(Error::ZeroMean {
                    arg: "estimate",
                    ..
                })
            ),
            "{m}: {r:?}"
        );
    }
}

#[test]
fn more_than_one_reference() {
    let e = Subgroups::new(&Y)
        .reference_flags(&[1.0, 0.0, 1.0, 0.0])
        .build()
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                arg: "reference",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn bounds_the_data_fall_outside() {
    let e = Subgroups::new(&Y).bounds(25.0, 100.0).build().unwrap_err();
    assert!(
        matches!(
            e,
            Error::OutOfBounds {
                arg: "estimate",
                index: 0,
                ..
            }
        ),
        "{e}"
    );
    let e = Subgroups::new(&Y).bounds(0.0, 45.0).build().unwrap_err();
    assert!(
        matches!(
            e,
            Error::OutOfBounds {
                arg: "estimate",
                index: 3,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn level_outside_unit_interval() {
    let g = Subgroups::new(&Y).build().unwrap();
    for level in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
        let r = measure(Measure::D, &g, &Options { level, ..opts() });
        assert!(
            matches!(r, Err(Error::InvalidLevel { arg: "level", .. })),
            "{level}: {r:?}"
        );
    }
}

#[test]
fn measure_specific_requirements() {
    let g = Subgroups::new(&Y)
        .se(&[1.0; 4])
        .scale(100.0)
        .build()
        .unwrap();
    // Weighted measures need a population; MDR* a reference; ordered ones an order.
    assert!(matches!(
        measure(Measure::Bgv, &g, &opts()),
        Err(Error::InvalidArgument {
            arg: "population",
            ..
        })
    ));
    assert!(matches!(
        measure(Measure::Mdru, &g, &opts()),
        Err(Error::InvalidArgument {
            arg: "reference",
            ..
        })
    ));
    assert!(matches!(
        measure(Measure::Aci, &g, &opts()),
        Err(Error::InvalidArgument {
            arg: "subgroup_order",
            ..
        })
    ));
    let o = Subgroups::new(&Y)
        .subgroup_order(&[1.0, 2.0, 3.0, 4.0])
        .build()
        .unwrap();
    // Logistic SII needs the declared scale; RCI normalisations need bounds.
    assert!(matches!(
        measure(Measure::Sii, &o, &opts()),
        Err(Error::InvalidArgument { arg: "scale", .. })
    ));
    let w = Options {
        normalisation: jamlik::measures::heat::Normalisation::Wagstaff,
        ..opts()
    };
    assert!(matches!(
        measure(Measure::Rci, &o, &w),
        Err(Error::InvalidArgument { arg: "lmin", .. })
    ));
    // MLD with a zero estimate is infinite: refused, naming the estimate.
    let z = Subgroups::new(&[0.0, 3.0, 4.0])
        .population(&[1.0, 1.0, 1.0])
        .build()
        .unwrap();
    assert!(matches!(
        measure(Measure::Mld, &z, &opts()),
        Err(Error::Degenerate {
            arg: "estimate",
            ..
        })
    ));
    assert!(measure(Measure::Ti, &z, &opts()).is_ok());
}
