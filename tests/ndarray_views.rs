//! A service that holds its columns as `ndarray` arrays passes views through
//! `AsColumn` (feature "ndarray"): contiguous views are read in place, strided
//! ones (a column of a row-major matrix) copied once, with the same results as
//! plain slices.
#![cfg(feature = "ndarray")]

use jamlik::columns::AsColumn;
use jamlik::measures::microdata::{
    ConcentrationOptions, Design, GiniOptions, concentration_index, gini,
};
use ndarray::{Array1, Array2};

#[test]
fn views_give_the_same_results_as_slices() {
    let n = 500;
    let income: Vec<f64> = (0..n).map(|i| 1000.0 + (i as f64 * 37.0) % 911.0).collect();
    let health: Vec<f64> = income.iter().map(|x| 1.0 + x / 2000.0).collect();
    // Row-major matrix [income, health]: its columns are strided views.
    let mut m = Array2::<f64>::zeros((n, 2));
    for i in 0..n {
        m[[i, 0]] = income[i];
        m[[i, 1]] = health[i];
    }
    let (inc_view, health_view) = (m.column(0), m.column(1));
    let (inc_col, health_col) = (inc_view.as_column(), health_view.as_column());
    let opts = ConcentrationOptions::default();
    let from_views = concentration_index(&health_col, &inc_col, Design::default(), &opts).unwrap();
    let from_slices = concentration_index(&health, &income, Design::default(), &opts).unwrap();
    assert_eq!(from_views.estimate, from_slices.estimate);

    let owned = Array1::from(income.clone());
    let g_view = gini(
        &owned.as_column(),
        Design::default(),
        &GiniOptions::default(),
    )
    .unwrap();
    let g_slice = gini(&income, Design::default(), &GiniOptions::default()).unwrap();
    assert_eq!(g_view, g_slice);
    assert!(g_view.value > 0.0 && g_view.se.is_some());
}
