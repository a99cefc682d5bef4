//! Which demo KPIs are counts, and how big their populations are.
//!
//! Most of the catalogue's KPIs are shares of people (a proportion of 3-year-olds,
//! of pupils, of home-care users who answered) or events per population (fall
//! injuries per 100 000 people aged 80+). For these the demo carries the numerator
//! (`count`) and the denominator (`population`) and its value is exactly
//! `count / population × multiplier`, so small-number statistics (Wilson and
//! Poisson limits, funnels, rank intervals, smoothing) work on it. Life expectancy
//! and the primary-care score are not counts and carry none.
//!
//! The KPI's population is a fixed share of the area's synthetic population, by sex
//! (the size of the age group or service the KPI counts, roughly as in Sweden).

use crate::indicators::{proportion, rate};

/// The statistic a count KPI is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Statistic {
    /// A share of people, in per cent: Wilson limits.
    Proportion,
    /// Events per 100 000: exact (count < 10) or Byars limits.
    Rate,
}

/// How a count KPI's numerator and denominator are built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Denominator {
    pub(super) statistic: Statistic,
    /// Share of the area's population that is the KPI's population: women, men.
    pub(super) share: [f64; 2],
}

impl Denominator {
    /// Per how many the value is given.
    pub(super) fn multiplier(self) -> f64 {
        match self.statistic {
            Statistic::Proportion => 100.0,
            Statistic::Rate => 100_000.0,
        }
    }

    /// The KPI's population out of an area's population of one sex (at least 1,
    /// so that every municipality has a value, if a noisy one).
    pub(super) fn population(self, area_population: f64, sex: usize) -> f64 {
        (area_population * self.share[sex]).round().max(1.0)
    }

    /// The count whose share of `population` is closest to the model's value `x`
    /// (in the KPI's unit); a proportion's count never exceeds its population.
    pub(super) fn count(self, x: f64, population: f64) -> f64 {
        let c = (x / self.multiplier() * population).round().max(0.0);
        match self.statistic {
            Statistic::Proportion => c.min(population),
            Statistic::Rate => c,
        }
    }

    /// `(se, lower, upper)` at 95 % by jamlik's own indicator functions; the SE is
    /// the binomial `√(p(1 − p)/n)` or the Poisson `√x / n`, times the multiplier.
    ///
    /// A rate's exact limits below 10 events (gamma quantiles, slow) depend only on
    /// the count: `exact` keeps them per count, for a population of 1 and multiplier 1.
    pub(super) fn statistics(
        self,
        count: f64,
        population: f64,
        exact: &mut [Option<(f64, f64)>; 10],
    ) -> (f64, f64, f64) {
        let m = self.multiplier();
        if self.statistic == Statistic::Rate && (0.0..10.0).contains(&count) && count.fract() == 0.0
        {
            let slot = &mut exact[count as usize];
            let (l, u) = *slot.get_or_insert_with(|| {
                let r = rate(count, 1.0, &[0.95], 1.0).ok();
                let lim = r.and_then(|r| r.limits.first().copied());
                (
                    lim.and_then(|l| l.lower).unwrap_or(f64::NAN),
                    lim.and_then(|l| l.upper).unwrap_or(f64::NAN),
                )
            });
            let scale = m / population;
            return (count.sqrt() * scale, l * scale, u * scale);
        }
        let (se, result) = match self.statistic {
            Statistic::Proportion => {
                let p = count / population;
                (
                    (p * (1.0 - p) / population).sqrt() * m,
                    proportion(count, population, &[0.95], m),
                )
            }
            Statistic::Rate => (
                count.sqrt() / population * m,
                rate(count, population, &[0.95], m),
            ),
        };
        let limits = result.ok().and_then(|r| r.limits.first().copied());
        let lower = limits.and_then(|l| l.lower).unwrap_or(f64::NAN);
        let upper = limits.and_then(|l| l.upper).unwrap_or(f64::NAN);
        (se, lower, upper)
    }
}

/// The count KPIs of the shipped catalogue; `None` for KPIs that are not counts
/// (life expectancy, scores).
pub(super) fn denominator(kpi: &str) -> Option<Denominator> {
    use Statistic::{Proportion, Rate};
    let (statistic, share) = match kpi {
        // 3-year-olds examined by dental care.
        "N80401" => (Proportion, [0.0110, 0.0115]),
        // Pupils leaving grade 9.
        "N15428" => (Proportion, [0.0108, 0.0114]),
        // People aged 80+ (fall injuries per 100 000).
        "N20434" => (Rate, [0.062, 0.044]),
        // Newly arrived leaving the introduction programme.
        "N00973" => (Proportion, [0.0012, 0.0016]),
        // 8-month-olds at child health care (girls, boys).
        "U01901" => (Proportion, [0.0052, 0.0055]),
        // Home-care users who answered the user survey.
        "U21468" => (Proportion, [0.0070, 0.0040]),
        // Children in out-of-home care turning 20.
        "N33871" => (Proportion, [0.0004, 0.0005]),
        // Respondents aged 16–84 of the national public-health survey.
        "U01425" => (Proportion, [0.0060, 0.0050]),
        _ => return None,
    };
    Some(Denominator { statistic, share })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_stay_within_their_population() {
        let d = denominator("N15428").unwrap();
        let n = d.population(5_000.0, 0);
        assert!((n - 54.0).abs() < 1e-12);
        assert!((d.count(101.0, n) - n).abs() < 1e-12);
        assert!((d.count(-1.0, n)).abs() < 1e-12);
        let (se, lower, upper) = d.statistics(27.0, 54.0, &mut [None; 10]);
        assert!((se - (0.25_f64 / 54.0).sqrt() * 100.0).abs() < 1e-12);
        assert!(lower < 50.0 && upper > 50.0);
        assert!(denominator("N00925").is_none());
        // The cached exact limits equal a direct call.
        let r = denominator("N20434").unwrap();
        let mut cache = [None; 10];
        for _ in 0..2 {
            let (_, l, u) = r.statistics(3.0, 700.0, &mut cache);
            let direct = rate(3.0, 700.0, &[0.95], 100_000.0).unwrap().limits[0];
            assert!((l - direct.lower.unwrap()).abs() < 1e-9 * l);
            assert!((u - direct.upper.unwrap()).abs() < 1e-9 * u);
        }
    }
}
