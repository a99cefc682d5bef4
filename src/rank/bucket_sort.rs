//! Stable parallel sort of records by a `u64` key, built straight from the
//! input columns.
//!
//! Sorting `(key, row)` pairs and then gathering the other columns in sorted
//! order reads every column at random. Instead, the records a measure needs
//! (key, outcome, weight, sometimes the row) are written once, already
//! partitioned by the top bits of the key, then each partition is sorted where
//! it sits in cache:
//!
//! 1. a histogram of the top bits per input chunk (the key range is known, so
//!    the bits are taken relative to the smallest key);
//! 2. one scatter pass that builds each record and writes it to its bucket
//!    (stable: input chunks keep their order within a bucket);
//! 3. every bucket is sorted by an in-cache MSD radix sort (stable, with
//!    insertion sort for small runs), in parallel, and summarised by a caller's
//!    closure while it is still in cache.
//!
//! Equal keys always fall in the same bucket, so bucket boundaries are tie-block
//! boundaries. The result is identical for any number of threads.

use bytemuck::Pod;
use rayon::prelude::*;
use std::ops::Range;

/// A fixed-size record sorted by [`sort_records`].
pub(crate) trait Record: Pod + Send + Sync {
    /// The order-preserving key.
    fn key(&self) -> u64;
    /// A second key that makes the order total where stability matters (the
    /// row for records that carry one, 0 otherwise).
    fn tiebreak(&self) -> u64;
}

/// Records sorted by key and the buckets that partition them.
pub(crate) struct Bucketed<R, S> {
    pub records: Vec<R>,
    /// Non-empty buckets, in ascending key order; equal keys share a bucket.
    pub buckets: Vec<Range<usize>>,
    /// The caller's summary of each bucket, in the same order.
    pub summaries: Vec<S>,
}

/// Below this many rows everything runs on one thread.
const PARALLEL_MIN: usize = 1 << 16;
/// Runs this short are sorted by insertion.
const INSERTION_MAX: usize = 24;
/// Buckets larger than this are sorted in place (no scratch copy), so the
/// scratch never exceeds a few MB whatever the key distribution.
const SCRATCH_MAX: usize = 1 << 16;
/// Aim for top-level buckets of about this many records (fits in L2).
const BUCKET_TARGET: usize = 1 << 12;
/// At most 2^11 top-level buckets: more write streams would thrash the TLB.
const TOP_BITS_MAX: u32 = 11;

/// Sorts rows `0..n` into records `make(i)`, stably by `key_of(i)`
/// (= `make(i).key()`), and summarises every bucket with `summarise`.
///
/// `key_range` is the smallest and largest key.
pub(crate) fn sort_records<R: Record, S: Send>(
    n: usize,
    key_range: (u64, u64),
    key_of: impl Fn(usize) -> u64 + Sync,
    make: impl Fn(usize) -> R + Sync,
    summarise: impl Fn(&[R]) -> S + Sync,
) -> Bucketed<R, S> {
    let (lo, hi) = key_range;
    let top_bits = (usize::BITS - (n / BUCKET_TARGET).leading_zeros()).min(TOP_BITS_MAX);
    let n_buckets = 1usize << top_bits;
    let range_bits = u64::BITS - (hi - lo).leading_zeros();
    let shift = range_bits.saturating_sub(top_bits);
    let mask = n_buckets - 1;
    // With one bucket the shift can be 64: `checked_shr` then gives bucket 0.
    let bucket_of = |key: u64| (key - lo).checked_shr(shift).unwrap_or(0) as usize & mask;

    // The split into input chunks only affects speed: the scatter is stable.
    let chunk = PARALLEL_MIN.max(n.div_ceil(256));
    let chunks: Vec<Range<usize>> = (0..n.div_ceil(chunk))
        .map(|c| c * chunk..((c + 1) * chunk).min(n))
        .collect();
    let parallel = n >= PARALLEL_MIN;

    let histogram = |rows: &Range<usize>| {
        let mut counts = vec![0usize; n_buckets];
        for i in rows.clone() {
            counts[bucket_of(key_of(i))] += 1;
        }
        counts
    };
    let counts: Vec<Vec<usize>> = if parallel {
        chunks.par_iter().map(histogram).collect()
    } else {
        chunks.iter().map(histogram).collect()
    };
    let mut records: Vec<R> = bytemuck::allocation::zeroed_vec(n);
    crate::alloc::advise_huge_pages(&mut records);
    let mut buckets = Vec::new();
    {
        // Carve the output into one slice per (bucket, chunk), bucket-major:
        // chunk c writes its rows of bucket b into its own slice, in order.
        let mut targets: Vec<Vec<&mut [R]>> = (0..chunks.len())
            .map(|_| Vec::with_capacity(n_buckets))
            .collect();
        let mut rest: &mut [R] = &mut records;
        let mut start = 0;
        for b in 0..n_buckets {
            let mut len = 0;
            for (target, chunk_counts) in targets.iter_mut().zip(&counts) {
                let (slice, tail) = std::mem::take(&mut rest).split_at_mut(chunk_counts[b]);
                target.push(slice);
                rest = tail;
                len += chunk_counts[b];
            }
            if len > 0 {
                buckets.push(start..start + len);
                start += len;
            }
        }
        let scatter = |(mut target, rows): (Vec<&mut [R]>, &Range<usize>)| {
            for i in rows.clone() {
                let record = make(i);
                let slot = &mut target[bucket_of(record.key())];
                if let Some((first, tail)) = std::mem::take(slot).split_first_mut() {
                    *first = record;
                    *slot = tail;
                }
            }
        };
        if parallel {
            targets.into_par_iter().zip(&chunks).for_each(scatter);
        } else {
            targets.into_iter().zip(&chunks).for_each(scatter);
        }
    }
    let mut slices: Vec<&mut [R]> = Vec::with_capacity(buckets.len());
    let mut rest: &mut [R] = &mut records;
    for b in &buckets {
        let (slice, tail) = std::mem::take(&mut rest).split_at_mut(b.len());
        slices.push(slice);
        rest = tail;
    }
    let sort_one = |scratch: &mut Scratch<R>, slice: &mut [R]| {
        sort_bucket(slice, scratch);
        summarise(slice)
    };
    let summaries = if parallel {
        slices
            .into_par_iter()
            .map_init(Scratch::default, |scratch, slice| sort_one(scratch, slice))
            .collect()
    } else {
        let mut scratch = Scratch::default();
        slices
            .into_iter()
            .map(|slice| sort_one(&mut scratch, slice))
            .collect()
    };
    Bucketed {
        records,
        buckets,
        summaries,
    }
}

/// Sorts one bucket stably (in place above [`SCRATCH_MAX`], where the order
/// of equal keys follows [`Record::tiebreak`]).
fn sort_bucket<R: Record>(s: &mut [R], scratch: &mut Scratch<R>) {
    if s.len() > SCRATCH_MAX {
        s.sort_unstable_by_key(|r| (r.key(), r.tiebreak()));
    } else {
        msd_sort(s, scratch);
    }
}

/// Reused buffers of the in-cache sort.
pub(crate) struct Scratch<R> {
    records: Vec<R>,
    counts: Vec<usize>,
}

impl<R> Default for Scratch<R> {
    fn default() -> Self {
        Self {
            records: Vec::new(),
            counts: Vec::new(),
        }
    }
}

/// Stable MSD radix sort on the bits below the slice's own key range.
fn msd_sort<R: Record>(s: &mut [R], scratch: &mut Scratch<R>) {
    if s.len() <= INSERTION_MAX {
        insertion_sort(s);
        return;
    }
    let (lo, hi) = s.iter().fold((u64::MAX, 0), |(lo, hi), r| {
        (lo.min(r.key()), hi.max(r.key()))
    });
    if lo == hi {
        return;
    }
    // About one record per digit value (fewer insertion sorts), at most 2^12.
    let bits = (usize::BITS - s.len().leading_zeros()).clamp(1, 12);
    let range_bits = u64::BITS - (hi - lo).leading_zeros();
    let shift = range_bits.saturating_sub(bits);
    let mask = (1usize << bits) - 1;
    let digit = |r: &R| ((r.key() - lo) >> shift) as usize & mask;
    // Counts of this level sit above those of the levels that called it.
    let base = scratch.counts.len();
    scratch.counts.resize(base + 2 * (mask + 1), 0);
    {
        let (counts, next) = scratch.counts[base..].split_at_mut(mask + 1);
        for r in s.iter() {
            counts[digit(r)] += 1;
        }
        let mut acc = 0;
        for (slot, &c) in next.iter_mut().zip(counts.iter()) {
            *slot = acc;
            acc += c;
        }
        scratch.records.clear();
        scratch.records.extend_from_slice(s);
        for r in &scratch.records {
            let d = digit(r);
            s[next[d]] = *r;
            next[d] += 1;
        }
    }
    let mut start = 0;
    for d in 0..=mask {
        let c = scratch.counts[base + d];
        if c > 1 {
            msd_sort(&mut s[start..start + c], scratch);
        }
        start += c;
    }
    scratch.counts.truncate(base);
}

fn insertion_sort<R: Record>(s: &mut [R]) {
    for i in 1..s.len() {
        let r = s[i];
        let mut j = i;
        while j > 0 && s[j - 1].key() > r.key() {
            s[j] = s[j - 1];
            j -= 1;
        }
        s[j] = r;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytemuck::Zeroable;

    #[derive(Clone, Copy, Debug, PartialEq, Zeroable, Pod)]
    #[repr(C)]
    struct KeyRow {
        key: u64,
        row: u64,
    }

    impl Record for KeyRow {
        fn key(&self) -> u64 {
            self.key
        }
        fn tiebreak(&self) -> u64 {
            self.row
        }
    }

    fn check(keys: &[u64]) {
        let (lo, hi) = (*keys.iter().min().unwrap(), *keys.iter().max().unwrap());
        let out = sort_records(
            keys.len(),
            (lo, hi),
            |i| keys[i],
            |i| KeyRow {
                key: keys[i],
                row: i as u64,
            },
            <[KeyRow]>::len,
        );
        let mut expected: Vec<KeyRow> = keys
            .iter()
            .enumerate()
            .map(|(i, &key)| KeyRow { key, row: i as u64 })
            .collect();
        expected.sort_by_key(|r| r.key);
        assert_eq!(out.records, expected, "stable sort of {} keys", keys.len());
        assert_eq!(out.summaries.iter().sum::<usize>(), keys.len());
        for pair in out.buckets.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
            let (a, b) = (&out.records[pair[0].end - 1], &out.records[pair[1].start]);
            assert!(a.key < b.key, "a tie block spans buckets");
        }
    }

    #[test]
    fn sorts_stably_for_many_distributions() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for n in [1, 2, 23, 24, 25, 1000, 70_000, 300_000] {
            check(&(0..n).map(|_| next()).collect::<Vec<_>>());
            check(&(0..n).map(|_| next() % 7).collect::<Vec<_>>());
            check(&(0..n as u64).rev().collect::<Vec<_>>());
            // One far outlier: everything else lands in one top-level bucket.
            let mut skewed: Vec<u64> = (0..n).map(|_| 1_000_000 + next() % 100_000).collect();
            skewed[0] = u64::MAX;
            check(&skewed);
        }
    }
}
