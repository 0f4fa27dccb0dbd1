//! Estimators on plain numbers: Wilson intervals, t-intervals, quantiles from a frequency
//! table, Pearson's chi-square and Cronbach's alpha.
//!
//! Distribution functions come from `statrs`. Means, variances and quantiles are computed from
//! frequency tables (value → count) rather than from slices: survey answers take few distinct
//! values, so a table of 11 points replaces a sorted copy of 100,000 numbers, and tables from
//! different threads and municipalities merge by addition.

use std::sync::OnceLock;

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

/// The 97.5th percentile of the standard normal distribution (≈ 1.959964).
pub fn z975() -> f64 {
    static Z: OnceLock<f64> = OnceLock::new();
    *Z.get_or_init(|| {
        Normal::new(0.0, 1.0)
            .map(|n| n.inverse_cdf(0.975))
            .unwrap_or(1.959_963_984_540_054)
    })
}

/// The 95% Wilson score interval of `count` successes out of `n`, in percent.
///
/// `None` when `n` is 0. Unlike the Wald interval it stays inside 0–100 and is sensible for
/// shares near 0 or 100 and for small municipalities.
pub fn wilson(count: u64, n: u64) -> Option<[f64; 2]> {
    if n == 0 {
        return None;
    }
    let z = z975();
    let n = n as f64;
    let p = count as f64 / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 and n successes the bounds are exactly 0 and 100; the formula leaves rounding dust.
    let lo = if count == 0 {
        0.0
    } else {
        ((centre - half) * 100.0).max(0.0)
    };
    let hi = if count as f64 >= n {
        100.0
    } else {
        ((centre + half) * 100.0).min(100.0)
    };
    Some([lo, hi])
}

/// The percentage `count / n × 100`, `None` when `n` is 0.
pub fn percent(count: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| count as f64 / n as f64 * 100.0)
}

/// The 95% Student-t interval of a mean from `n` observations with standard deviation `sd`.
///
/// `None` when `n < 2` (no estimate of spread). With `sd` 0 the interval is the point itself.
pub fn t_interval(mean: f64, sd: f64, n: u64) -> Option<[f64; 2]> {
    if n < 2 || !mean.is_finite() || !sd.is_finite() {
        return None;
    }
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .ok()?
        .inverse_cdf(0.975);
    let half = t * sd / (n as f64).sqrt();
    Some([mean - half, mean + half])
}

/// Mean and standard deviation (n − 1) of a frequency table sorted or not.
///
/// Returns `(mean, sd)`; `sd` is `None` for fewer than two observations. Two passes (mean
/// first, then squared deviations) keep the variance exact for large counts.
pub fn mean_sd(table: &[(f64, u64)]) -> Option<(f64, Option<f64>)> {
    let n: u64 = table.iter().map(|&(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let mean = table.iter().map(|&(v, c)| v * c as f64).sum::<f64>() / n as f64;
    let sd = (n >= 2).then(|| {
        let ss: f64 = table
            .iter()
            .map(|&(v, c)| (v - mean) * (v - mean) * c as f64)
            .sum();
        (ss / (n - 1) as f64).sqrt()
    });
    Some((mean, sd))
}

/// The `p`-quantile (0 ≤ p ≤ 1) of a frequency table sorted by value, by linear interpolation
/// between order statistics: R's type 7, numpy's default, Excel's QUARTILE.INC.
///
/// With `N` observations the quantile sits at zero-based rank `h = (N − 1) p`; the result is
/// `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`. `None` for an empty table.
pub fn quantile_sorted(table: &[(f64, u64)], p: f64) -> Option<f64> {
    let n: u64 = table.iter().map(|&(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as u64;
    let frac = h - lo as f64;
    let x_lo = value_at_rank(table, lo)?;
    if frac == 0.0 {
        return Some(x_lo);
    }
    let x_hi = value_at_rank(table, (lo + 1).min(n - 1))?;
    Some(x_lo + frac * (x_hi - x_lo))
}

/// The value of zero-based rank `rank` in a sorted frequency table.
fn value_at_rank(table: &[(f64, u64)], rank: u64) -> Option<f64> {
    let mut seen = 0;
    for &(value, count) in table {
        seen += count;
        if rank < seen {
            return Some(value);
        }
    }
    None
}

/// The result of Pearson's chi-square test on a contingency table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pearson {
    pub statistic: f64,
    pub df: u64,
    pub p_value: f64,
    pub cramers_v: f64,
    pub low_expected_cells: u64,
}

/// Pearson's chi-square test of independence on `observed[row][column]`.
///
/// The table must already be free of zero rows and columns. Errors say why the test cannot be
/// run (fewer than two rows or columns).
pub fn pearson(observed: &[Vec<u64>]) -> Result<Pearson, String> {
    let rows = observed.len();
    let cols = observed.first().map_or(0, Vec::len);
    if rows < 2 {
        return Err("fewer than two answer options were chosen".to_owned());
    }
    if cols < 2 {
        return Err("fewer than two municipalities have answers".to_owned());
    }
    let row_totals: Vec<f64> = observed
        .iter()
        .map(|r| r.iter().sum::<u64>() as f64)
        .collect();
    let col_totals: Vec<f64> = (0..cols)
        .map(|c| observed.iter().map(|r| r[c]).sum::<u64>() as f64)
        .collect();
    let total: f64 = row_totals.iter().sum();
    let mut statistic = 0.0;
    let mut low = 0;
    for (r, row) in observed.iter().enumerate() {
        for (c, &o) in row.iter().enumerate() {
            let expected = row_totals[r] * col_totals[c] / total;
            if expected < 5.0 {
                low += 1;
            }
            statistic += (o as f64 - expected).powi(2) / expected;
        }
    }
    let df = ((rows - 1) * (cols - 1)) as u64;
    let p_value = ChiSquared::new(df as f64)
        .map_err(|e| format!("no chi-square distribution with {df} degrees of freedom: {e}"))?
        .sf(statistic);
    let k = (rows.min(cols) - 1) as f64;
    let cramers_v = (statistic / (total * k)).sqrt();
    Ok(Pearson {
        statistic,
        df,
        p_value,
        cramers_v,
        low_expected_cells: low,
    })
}

/// Sufficient statistics for Cronbach's alpha over complete cases, mergeable across threads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlphaSums {
    pub n: u64,
    pub item_sum: Vec<f64>,
    pub item_sq: Vec<f64>,
    pub total_sum: f64,
    pub total_sq: f64,
}

impl AlphaSums {
    /// Empty sums for `k` items.
    pub fn new(k: usize) -> Self {
        Self {
            item_sum: vec![0.0; k],
            item_sq: vec![0.0; k],
            ..Self::default()
        }
    }

    /// Adds one respondent's item scores (every item answered).
    pub fn add(&mut self, items: impl IntoIterator<Item = f64>) {
        self.n += 1;
        let mut total = 0.0;
        for (i, x) in items.into_iter().enumerate() {
            self.item_sum[i] += x;
            self.item_sq[i] += x * x;
            total += x;
        }
        self.total_sum += total;
        self.total_sq += total * total;
    }

    /// Adds another set of sums.
    pub fn merge(&mut self, other: &Self) {
        self.n += other.n;
        for (a, b) in self.item_sum.iter_mut().zip(&other.item_sum) {
            *a += b;
        }
        for (a, b) in self.item_sq.iter_mut().zip(&other.item_sq) {
            *a += b;
        }
        self.total_sum += other.total_sum;
        self.total_sq += other.total_sq;
    }

    /// Cronbach's alpha, `k/(k−1) · (1 − Σ var(item) / var(total))`, or why it cannot be computed.
    pub fn alpha(&self) -> Result<f64, String> {
        let k = self.item_sum.len();
        if k < 2 {
            return Err("an index needs at least two items for Cronbach's alpha".to_owned());
        }
        if self.n < 2 {
            return Err("fewer than two respondents answered every item".to_owned());
        }
        let var = |sum: f64, sq: f64| {
            let n = self.n as f64;
            ((sq - sum * sum / n) / (n - 1.0)).max(0.0)
        };
        let items: f64 = (0..k).map(|i| var(self.item_sum[i], self.item_sq[i])).sum();
        let total = var(self.total_sum, self.total_sq);
        if total <= f64::EPSILON * self.total_sq.abs().max(1.0) {
            return Err("the total score does not vary".to_owned());
        }
        let k = k as f64;
        Ok(k / (k - 1.0) * (1.0 - items / total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9 * b.abs().max(1.0), "{a} != {b}");
    }

    #[test]
    fn wilson_matches_statsmodels() {
        // statsmodels 0.15: [100 * x for x in proportion_confint(k, n, method="wilson")]
        // (0,1) [0.0, 79.34506856227627]  (1,1) [20.65493143772374, 100.0]
        // (5,10) [23.659309051256393, 76.3406909487436]  (0,50) [0.0, 7.1347599133358734]
        // (480,1200) [37.26434434374425, 42.79947566831045]
        let cases = [
            (0, 1, [0.0, 79.34506856227627]),
            (1, 1, [20.65493143772374, 100.0]),
            (5, 10, [23.659309051256393, 76.3406909487436]),
            (0, 50, [0.0, 7.1347599133358734]),
            (480, 1200, [37.26434434374425, 42.79947566831045]),
        ];
        for (k, n, [lo, hi]) in cases {
            let [a, b] = wilson(k, n).unwrap();
            close(a, lo);
            close(b, hi);
        }
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson(0, 7).unwrap()[0], 0.0);
        assert_eq!(wilson(7, 7).unwrap()[1], 100.0);
        assert_eq!(percent(3, 0), None);
    }

    #[test]
    fn t_interval_matches_scipy() {
        // scipy 1.17: stats.t.interval(0.95, 1, loc=2.5, scale=0.7071067811865476/np.sqrt(2))
        // -> (-3.853102368087347, 8.853102368087347)
        let [lo, hi] = t_interval(2.5, std::f64::consts::FRAC_1_SQRT_2, 2).unwrap();
        close(lo, -3.853102368087347);
        close(hi, 8.853102368087347);
        assert_eq!(t_interval(2.5, 0.0, 1), None);
        assert_eq!(t_interval(4.0, 0.0, 10), Some([4.0, 4.0]), "zero variance");
    }

    #[test]
    fn type7_quantiles_match_numpy() {
        // numpy 2.4: np.percentile([1,1,2,2,2,9], [0,10,25,50,75,90,100])
        // -> [1. 1. 1.25 2. 2. 5.5 9.]
        let table = [(1.0, 2), (2.0, 3), (9.0, 1)];
        let got: Vec<f64> = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]
            .iter()
            .map(|&p| quantile_sorted(&table, p).unwrap())
            .collect();
        assert_eq!(got, [1.0, 1.0, 1.25, 2.0, 2.0, 5.5, 9.0]);
        assert_eq!(quantile_sorted(&[], 0.5), None);
        assert_eq!(quantile_sorted(&[(7.0, 1)], 0.25), Some(7.0));
    }

    #[test]
    fn mean_and_sd_of_a_table() {
        assert_eq!(mean_sd(&[]), None);
        assert_eq!(mean_sd(&[(3.0, 1)]), Some((3.0, None)));
        assert_eq!(mean_sd(&[(3.0, 5)]), Some((3.0, Some(0.0))));
    }

    #[test]
    fn pearson_matches_scipy() {
        // scipy 1.17: t = [[10,20,30],[20,10,5]]; chi2_contingency(t, correction=False)
        // -> 19.280045351473923, p 6.507157918480003e-05, df 2;
        // contingency.association(t, method="cramer") -> 0.4504973316291548; no expected < 5
        let test = pearson(&[vec![10, 20, 30], vec![20, 10, 5]]).unwrap();
        close(test.statistic, 19.280045351473923);
        close(test.p_value, 6.507157918480003e-05);
        close(test.cramers_v, 0.4504973316291548);
        assert_eq!((test.df, test.low_expected_cells), (2, 0));
        assert!(pearson(&[vec![3, 4]]).is_err());
        assert!(pearson(&[vec![3], vec![4]]).is_err());
        assert!(pearson(&[]).is_err());
    }

    #[test]
    fn alpha_needs_variance_and_two_items() {
        let mut flat = AlphaSums::new(2);
        flat.add([0.5, 0.5]);
        flat.add([0.5, 0.5]);
        assert!(flat.alpha().unwrap_err().contains("does not vary"));
        let mut one = AlphaSums::new(1);
        one.add([1.0]);
        one.add([0.0]);
        assert!(one.alpha().is_err());
        assert!(AlphaSums::new(3).alpha().is_err());
    }
}
