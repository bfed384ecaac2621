//! `monthly_allowance`: stipends, rating uplifts and seniority allowances,
//! by post, month by month.
//!
//! A person is paid for each counted month in which they hold a listed post
//! on its first day; the rate for a month is the post's base plus the
//! increment for each full year of service completed by that day; with
//! `combine = highest` only the best-paid post counts each month (高位取酬,
//! 不重复享受), with `each` every post is paid on its own. With
//! `eligible = non_serving`, people in serving employment (在职) get nothing
//! and a note says so.

use super::shared::{Calc, Out, Segment};
use crate::engine::ctx::{City, Ctx};
use crate::engine::service::{anniversary, full_years};
use crate::error::{Error, Result};
use crate::frame::{NONE, OPEN};
use crate::lang::{num, post_name, Lang};
use crate::ledger::{Exclusion, ItemRow, NO_POST};
use crate::policy::file::{Combine, Eligibility, MonthlyAllowance, YearsFrom};
use crate::policy::locate::KeyPath;
use crate::policy::validity::{known, schedule, Checked, Known};
use crate::policy::values::{in_force, Dated};
use crate::provenance::Values;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use smallvec::SmallVec;
use std::fmt::Write;

/// The rule made ready for one budget.
pub(crate) struct Ready<'p> {
    rule: &'p MonthlyAllowance,
    position: u16,
    split: u16,
    /// Per policy post, its base schedule when the rule lists it.
    base: Vec<Option<&'p [Dated]>>,
    increments: &'p [Dated],
    /// The ratings it is paid in, when limited.
    only_ratings: Option<Vec<u32>>,
    effective_from: Option<NaiveDate>,
    /// Every amount of the rule is a whole number of `10^-scale` yuan: the
    /// months are added up in those units, exactly, in 128-bit integers.
    scale: u32,
}

/// `10^k` for the scales a `Decimal` has (0–28).
fn pow10(k: u32) -> Option<i128> {
    // Worked out at compile time (10^28 fits i128 many times over).
    const POW10: [i128; 29] = {
        let mut t = [1i128; 29];
        let mut k = 1;
        while k < 29 {
            t[k] = t[k - 1] * 10;
            k += 1;
        }
        t
    };
    POW10.get(k as usize).copied()
}

/// The months bit mask of a run of `months` months from `from_month`
/// (1–12): a month past December has no bit.
fn run_mask(from_month: u32, months: u32) -> u16 {
    let bits = 1u32
        .checked_shl(months)
        .map_or(u32::MAX, |b| b.saturating_sub(1));
    let mask = bits.checked_shl(from_month.saturating_sub(1)).unwrap_or(0);
    u16::try_from(mask & 0x0fff).unwrap_or(0)
}

impl<'p> Ready<'p> {
    pub(crate) fn new(
        ctx: &Ctx<'p>,
        rule: &'p MonthlyAllowance,
        position: u16,
        split: u16,
    ) -> Self {
        let base = ctx
            .file
            .posts
            .iter()
            .map(|p| rule.amounts.get(&p.id).map(Vec::as_slice))
            .collect();
        let only_ratings = rule.only_ratings.as_ref().map(|only| {
            only.value
                .iter()
                .filter_map(|r| ctx.rating_position(r))
                .collect()
        });
        let increments = rule.increment_per_full_year.as_deref().unwrap_or(&[]);
        let scale = rule
            .amounts
            .values()
            .flatten()
            .chain(increments)
            .map(|row| row.value.0.scale())
            .max()
            .unwrap_or(0);
        Ready {
            rule,
            position,
            split,
            base,
            increments,
            only_ratings,
            effective_from: ctx.file.policy.effective_from.map(|d| d.0),
            scale,
        }
    }

    /// An amount of the rule in units of `10^-scale` yuan.
    #[inline]
    fn units(&self, d: Decimal) -> Option<i128> {
        d.mantissa()
            .checked_mul(pow10(self.scale.checked_sub(d.scale())?)?)
    }

    /// The monthly rate of a base, an increment and the years served, in
    /// units.
    #[inline]
    fn monthly(&self, base: &Dated, increment: Option<&Dated>, years: u32) -> Option<i128> {
        let b = self.units(base.value.0)?;
        match increment {
            Some(row) if years > 0 => self
                .units(row.value.0)?
                .checked_mul(i128::from(years))?
                .checked_add(b),
            _ => Some(b),
        }
    }

    /// An amount in units as whole fen, rounded half away from zero.
    fn fen(&self, units: i128) -> Option<i64> {
        let fen = match 2u32.checked_sub(self.scale) {
            Some(up) => units.checked_mul(pow10(up)?)?,
            None => {
                let d = pow10(self.scale.checked_sub(2)?)?;
                let (q, r) = (units.checked_div(d)?, units.checked_rem(d)?);
                if r.unsigned_abs().checked_mul(2)? >= d.unsigned_abs() {
                    q.checked_add(units.signum())?
                } else {
                    q
                }
            }
        };
        i64::try_from(fen).ok()
    }

    /// The listed posts person `p` holds, into `listed`.
    fn listed(&self, city: &City, p: usize, listed: &mut Vec<Listed<'p>>) {
        let h = &city.frame.holdings;
        listed.clear();
        for k in city.frame.people.holdings_of(p) {
            let post = city.post_of(k);
            if let Some(Some(base)) = self.base.get(post as usize) {
                listed.push(Listed {
                    post,
                    start: h.start[k],
                    end: (h.end[k] != OPEN).then_some(h.end[k]),
                    base,
                    cache: std::cell::Cell::new(None),
                });
            }
        }
    }

    /// Whether the community's rating is one the rule pays in.
    fn paid_in(&self, city: &City, c: usize) -> bool {
        match &self.only_ratings {
            None => true,
            Some(only) => {
                let r = city.rating_of(c);
                r != NONE && only.contains(&r)
            }
        }
    }

    /// The items of person `p`.
    pub(crate) fn person(
        &self,
        ctx: &Ctx,
        city: &City,
        p: usize,
        scratch: &mut Scratch<'p>,
        out: &mut Out,
    ) -> Result<()> {
        let c = city.frame.people.community[p];
        if !self.paid_in(city, c as usize) {
            return Ok(());
        }
        let mut listed = std::mem::take(&mut scratch.listed);
        self.listed(city, p, &mut listed);
        let done = self.paid(ctx, city, p, c, &listed, scratch, out);
        scratch.listed = listed;
        done
    }

    /// The items of person `p` of community `c`, who holds the listed posts
    /// `listed`.
    #[allow(clippy::too_many_arguments)]
    fn paid(
        &self,
        ctx: &Ctx,
        city: &City,
        p: usize,
        c: u32,
        listed: &[Listed<'p>],
        scratch: &mut Scratch<'p>,
        out: &mut Out,
    ) -> Result<()> {
        if listed.is_empty() {
            return Ok(());
        }
        let person = u32::try_from(p).unwrap_or(NONE);
        let note = |code, posts| Exclusion {
            code,
            community: c,
            person,
            rule: self.position,
            posts,
        };
        if self.rule.eligible.value == Eligibility::NonServing && city.frame.people.serving[p] {
            out.exclusions
                .push(note("serving_not_eligible", [NO_POST; 2]));
            return Ok(());
        }
        let overflow = || Error::Overflow {
            context: format!("the months of rule `{}`", self.rule.id),
        };
        for (g, group) in groups(self.rule, listed).enumerate() {
            scratch.runs.clear();
            scratch.passed_over.clear();
            self.runs(ctx, group, scratch).ok_or_else(overflow)?;
            for &(lower, higher) in &scratch.passed_over {
                out.exclusions
                    .push(note("lower_post_not_paid", [lower, higher]));
            }
            if scratch.runs.is_empty() {
                if group.iter().any(|l| l.overlaps_period(ctx)) {
                    out.exclusions.push(note("no_month_held", [NO_POST; 2]));
                }
                continue;
            }
            let mut total = 0i128;
            let mut months = 0u16;
            for run in &scratch.runs {
                total = run
                    .monthly
                    .checked_mul(i128::from(run.months))
                    .and_then(|x| x.checked_add(total))
                    .ok_or_else(overflow)?;
                months |= run_mask(run.from_month, run.months);
            }
            let first = scratch.runs[0].post;
            let post = if scratch.runs.iter().all(|r| r.post == first) {
                first
            } else {
                NO_POST
            };
            let amount = self.fen(total).ok_or_else(overflow)?;
            out.push(
                ItemRow {
                    community: c,
                    person,
                    rule: self.position,
                    post,
                    months,
                    aux: u32::try_from(g).unwrap_or(NONE),
                    amount,
                },
                self.split,
            )?;
        }
        Ok(())
    }

    /// How item (person `p`, group `g`) was computed: its runs of months.
    ///
    /// # Errors
    /// `overflow` for a monthly rate past what a `Decimal` holds (an item
    /// that was computed never has one: its amount fit 64 bits of fen).
    pub(crate) fn calc(&self, ctx: &Ctx, city: &City, p: usize, g: u32) -> Result<Calc> {
        let mut listed = Vec::new();
        self.listed(city, p, &mut listed);
        let mut scratch = Scratch::default();
        if let Some(group) = groups(self.rule, &listed).nth(g as usize) {
            // A rate past 128 bits was an overflow when computed: no item.
            let _ = self.runs(ctx, group, &mut scratch);
        }
        let overflow = || Error::Overflow {
            context: format!("the months of rule `{}`", self.rule.id),
        };
        Ok(Calc::Months {
            segments: scratch
                .runs
                .iter()
                .map(|r| {
                    let base = r.base.value.0;
                    let increment = r.increment.map(|i| i.value.0).unwrap_or_default();
                    let monthly = increment
                        .checked_mul(Decimal::from(r.years))
                        .and_then(|i| i.checked_add(base))
                        .ok_or_else(overflow)?;
                    Ok(Segment {
                        from_month: r.from_month,
                        to_month: r.to_month,
                        months: r.months,
                        post: ctx
                            .file
                            .posts
                            .get(r.post as usize)
                            .map(|p| p.id.clone())
                            .unwrap_or_default(),
                        base,
                        years: r.years,
                        increment,
                        monthly,
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        })
    }

    /// The runs of months paid for one group of listed posts (`None` for a
    /// rate past 128 bits).
    fn runs(&self, ctx: &Ctx, group: &[Listed<'p>], scratch: &mut Scratch<'p>) -> Option<()> {
        match group {
            // One post: nothing to compare, month by month.
            [only] => self.one_post_months(ctx, only, &mut scratch.runs),
            _ => self.chosen_months(ctx, group, scratch),
        }
    }

    /// The day service is counted from for a holding.
    fn years_since(&self, l: &Listed) -> NaiveDate {
        match self.rule.years_counted_from.as_ref().map(|y| y.value) {
            Some(YearsFrom::PolicyEffective) => {
                self.effective_from.map_or(l.start, |e| l.start.max(e))
            }
            _ => l.start,
        }
    }

    /// The months paid when several listed posts are held: each month the
    /// best-paid post held on its first day; `passed_over` gets each (lower,
    /// higher) pair of posts held together.
    fn chosen_months(
        &self,
        ctx: &Ctx,
        group: &[Listed<'p>],
        scratch: &mut Scratch<'p>,
    ) -> Option<()> {
        let mut held: SmallVec<[u16; 4]> = SmallVec::new();
        let mut last_rows = (std::ptr::null(), std::ptr::null());
        for &first in &ctx.months {
            held.clear();
            let Some(best) = self.best_rate(group, first, &mut held)? else {
                continue;
            };
            for &other in &held {
                if other != best.post
                    && !scratch
                        .passed_over
                        .iter()
                        .any(|(o, b)| *o == other && *b == best.post)
                {
                    scratch.passed_over.push((other, best.post));
                }
            }
            push_month(&mut scratch.runs, &mut last_rows, first.month(), best);
        }
        Some(())
    }

    /// The months paid for a single listed post, in runs: what
    /// [`Ready::chosen_months`] gives for one post (a property test checks),
    /// without a choice to make each month. A run is found at once: from a
    /// month held, the rate stays the same until the holding ends, its
    /// schedule rows change or the next anniversary adds a year, so the
    /// months up to the first of those are one run with no lookups of their
    /// own.
    fn one_post_months(
        &self,
        ctx: &Ctx,
        listed: &Listed<'p>,
        runs: &mut Vec<Run<'p>>,
    ) -> Option<()> {
        let increments = self.increments;
        let since = self.years_since(listed);
        let months = &ctx.months;
        let mut i = 0;
        while let Some(&first) = months.get(i) {
            i = i.saturating_add(1);
            if !listed.held_on(first) {
                continue;
            }
            let Some(base) = in_force(listed.base, first) else {
                continue;
            };
            let increment_row = in_force(increments, first);
            let increment = increment_row.map(|r| r.value.0).unwrap_or_default();
            // Years of service hold until the next anniversary (exclusive).
            let (years, next_year) = if increment.is_zero() {
                (0, NaiveDate::MAX)
            } else {
                let years = full_years(since, first);
                (years, next_anniversary(since, years))
            };
            // The last day the same rows are in force and the post is held.
            let increment_end = match increment_row {
                Some(row) => row.until.map(|u| u.0),
                // No increment now: until the first row that starts later.
                None => increments
                    .iter()
                    .filter_map(|row| row.from.map(|f| f.0))
                    .filter(|from| *from > first)
                    .min()
                    .and_then(|from| from.pred_opt()),
            };
            let last_day = [listed.end, base.until.map(|u| u.0), increment_end]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(NaiveDate::MAX);
            let mut last = first;
            while let Some(&next) = months.get(i) {
                if next >= next_year || next > last_day {
                    break;
                }
                last = next;
                i = i.saturating_add(1);
            }
            let (from_month, to_month) = (first.month(), last.month());
            // Months of one year, in order: 1 ≤ from_month ≤ to_month ≤ 12.
            let run = to_month.saturating_sub(from_month).saturating_add(1);
            let monthly = self.monthly(base, increment_row, years)?;
            if let Some(seg) = runs.last_mut() {
                if seg.to_month.saturating_add(1) == from_month
                    && seg.years == years
                    && seg.monthly == monthly
                {
                    seg.to_month = to_month;
                    seg.months = seg.months.saturating_add(run);
                    continue;
                }
            }
            runs.push(Run {
                from_month,
                to_month,
                months: run,
                post: listed.post,
                base,
                years,
                increment: increment_row,
                monthly,
            });
        }
        Some(())
    }

    /// The best-paid post held on `first`; the listed posts held then are
    /// pushed to `held` when there is more than one to choose from.
    fn best_rate(
        &self,
        group: &[Listed<'p>],
        first: NaiveDate,
        held: &mut SmallVec<[u16; 4]>,
    ) -> Option<Option<Rate<'p>>> {
        let mut best: Option<Rate<'p>> = None;
        for listed in group {
            if !listed.held_on(first) {
                continue;
            }
            let Some(base) = in_force(listed.base, first) else {
                continue;
            };
            let increment_row = in_force(self.increments, first);
            let increment = increment_row.map(|r| r.value.0).unwrap_or_default();
            let since = self.years_since(listed);
            let increment_ptr = increment_row.map_or(std::ptr::null(), |r| r as *const Dated);
            let rows = (base as *const Dated, increment_ptr);
            let (years, monthly) = match listed.cache.get() {
                Some(c)
                    if c.from <= first
                        && first < c.until
                        && (c.base_row, c.increment_row) == rows =>
                {
                    (c.years, c.monthly)
                }
                _ if increment.is_zero() => (0, self.monthly(base, None, 0)?),
                _ => {
                    let years = full_years(since, first);
                    let monthly = self.monthly(base, increment_row, years)?;
                    // The same years hold until the next anniversary.
                    let until = next_anniversary(since, years);
                    listed.cache.set(Some(Cached {
                        from: first,
                        until,
                        base_row: rows.0,
                        increment_row: rows.1,
                        years,
                        monthly,
                    }));
                    (years, monthly)
                }
            };
            if group.len() > 1 {
                held.push(listed.post);
            }
            let better = match &best {
                None => true,
                Some(b) => monthly > b.monthly || (monthly == b.monthly && listed.post < b.post),
            };
            if better {
                best = Some(Rate {
                    post: listed.post,
                    base,
                    years,
                    increment: increment_row,
                    monthly,
                    rows,
                });
            }
        }
        Some(best)
    }
}

/// The groups of listed posts paid together: all of them with `highest`
/// (they compete month by month), each alone with `each`.
fn groups<'a, 'p>(
    rule: &MonthlyAllowance,
    listed: &'a [Listed<'p>],
) -> std::slice::Chunks<'a, Listed<'p>> {
    match rule.combine.value {
        Combine::Highest => listed.chunks(listed.len().max(1)),
        Combine::Each => listed.chunks(1),
    }
}

/// What the rule's items of one person reuse from the last person.
#[derive(Default)]
pub(crate) struct Scratch<'p> {
    listed: Vec<Listed<'p>>,
    runs: Vec<Run<'p>>,
    passed_over: Vec<(u16, u16)>,
}

/// A listed post a person holds, with the post's base schedule.
#[derive(Clone)]
struct Listed<'a> {
    post: u16,
    start: NaiveDate,
    end: Option<NaiveDate>,
    base: &'a [Dated],
    /// The last rate worked out for this holding, reused while the years,
    /// base and increment stay the same (most months).
    cache: std::cell::Cell<Option<Cached>>,
}

impl Listed<'_> {
    fn held_on(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|e| day <= e)
    }

    fn overlaps_period(&self, ctx: &Ctx) -> bool {
        let (Some(first), Some(last)) = (ctx.months.first(), ctx.months.last()) else {
            return false;
        };
        let period_end = NaiveDate::from_ymd_opt(last.year(), last.month(), 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt())
            .unwrap_or(*last);
        self.start <= period_end && self.end.is_none_or(|e| e >= *first)
    }
}

/// A rate worked out for a holding: valid for days in `from..until` while
/// the same schedule rows are in force (rows compared by address: the same
/// row is the same amount).
#[derive(Clone, Copy)]
struct Cached {
    from: NaiveDate,
    until: NaiveDate,
    base_row: *const Dated,
    increment_row: *const Dated,
    years: u32,
    monthly: i128,
}

/// One post's rate on one day.
#[derive(Clone, Copy)]
struct Rate<'p> {
    post: u16,
    base: &'p Dated,
    years: u32,
    increment: Option<&'p Dated>,
    /// In the rule's units (see [`Ready::units`]).
    monthly: i128,
    /// The schedule rows the rate comes from (see [`Cached`]).
    rows: (*const Dated, *const Dated),
}

/// A run of consecutive months paid at one rate for one post.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Run<'p> {
    from_month: u32,
    to_month: u32,
    months: u32,
    post: u16,
    /// The schedule rows the rate comes from.
    base: &'p Dated,
    years: u32,
    increment: Option<&'p Dated>,
    /// In the rule's units (see [`Ready::units`]).
    monthly: i128,
}

/// The anniversary on which `years` full years of service from `since`
/// become `years + 1`.
fn next_anniversary(since: NaiveDate, years: u32) -> NaiveDate {
    since
        .year()
        .checked_add(i32::try_from(years).unwrap_or(i32::MAX).saturating_add(1))
        .map(|y| anniversary(since, y))
        .unwrap_or(NaiveDate::MAX)
}

fn push_month<'p>(
    runs: &mut Vec<Run<'p>>,
    rows: &mut (*const Dated, *const Dated),
    month: u32,
    r: Rate<'p>,
) {
    let same_rows = std::mem::replace(rows, r.rows) == r.rows;
    if let Some(last) = runs.last_mut() {
        if last.to_month.saturating_add(1) == month
            && last.years == r.years
            && last.post == r.post
            && (same_rows || last.monthly == r.monthly)
        {
            last.to_month = month;
            last.months = last.months.saturating_add(1);
            return;
        }
    }
    runs.push(Run {
        from_month: month,
        to_month: month,
        months: 1,
        post: r.post,
        base: r.base,
        years: r.years,
        increment: r.increment,
        monthly: r.monthly,
    });
}

// ------------------------------------------------------------ explaining

fn months_zh(s: &Segment) -> String {
    if s.from_month == s.to_month {
        format!("{}月", s.from_month)
    } else {
        format!("{}–{}月", s.from_month, s.to_month)
    }
}

fn months_en(s: &Segment) -> String {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = |k: u32| M.get(k.saturating_sub(1) as usize).copied().unwrap_or("?");
    if s.from_month == s.to_month {
        m(s.from_month).to_string()
    } else {
        format!("{}–{}", m(s.from_month), m(s.to_month))
    }
}

/// The computation in words: each run, its months and its rate.
pub(crate) fn describe(
    s: &mut String,
    file: &crate::policy::file::PolicyFile,
    segments: &[Segment],
    lang: Lang,
) {
    let zh = lang == Lang::Zh;
    for (i, seg) in segments.iter().enumerate() {
        if i > 0 {
            s.push_str(" + ");
        }
        let post = post_name(file, &seg.post, lang);
        let _ = if zh {
            write!(
                s,
                "{post} {} {}个月 × {}元",
                months_zh(seg),
                seg.months,
                num(seg.monthly)
            )
        } else {
            write!(
                s,
                "{post} {} {} month{} × {} yuan",
                months_en(seg),
                seg.months,
                if seg.months == 1 { "" } else { "s" },
                num(seg.monthly)
            )
        };
        if !seg.increment.is_zero() {
            let _ = if zh {
                write!(
                    s,
                    "(基数{}元 + 满{}年 × {}元)",
                    num(seg.base),
                    seg.years,
                    num(seg.increment)
                )
            } else {
                write!(
                    s,
                    " (base {} + {} full year{} × {})",
                    num(seg.base),
                    seg.years,
                    if seg.years == 1 { "" } else { "s" },
                    num(seg.increment)
                )
            };
        }
    }
}

/// The rule's values, for provenance.
pub(crate) fn values(v: &mut Values, r: &MonthlyAllowance) {
    for (post, rows) in &r.amounts {
        v.schedule(&format!("amounts.{post}"), rows);
    }
    if let Some(inc) = &r.increment_per_full_year {
        v.schedule("increment_per_full_year", inc);
    }
    v.cited("eligible", &r.eligible, crate::provenance::snake);
    v.cited("combine", &r.combine, crate::provenance::snake);
    if let Some(y) = &r.years_counted_from {
        v.cited("years_counted_from", y, crate::provenance::snake);
    }
    if let Some(o) = &r.only_ratings {
        v.cited("only_ratings", o, |r| r.join(", "));
    }
}

/// The rule's own checks: listed posts and ratings are declared, schedules
/// in order.
pub(crate) fn validate(r: &MonthlyAllowance, known_ids: &Known, path: &KeyPath) -> Checked {
    for (post, s) in &r.amounts {
        known(
            &known_ids.posts,
            post,
            "post",
            &path.key("amounts").key(post),
        )?;
        schedule(s, &path.key("amounts").key(post))?;
    }
    if let Some(s) = &r.increment_per_full_year {
        schedule(s, &path.key("increment_per_full_year"))?;
    }
    if let Some(only) = &r.only_ratings {
        for rating in &only.value {
            known(
                &known_ids.ratings,
                rating,
                "rating",
                &path.key("only_ratings"),
            )?;
        }
    }
    Ok(())
}

/// The words of the "why not" notes of this kind.
pub(crate) fn note_text(
    e: &Exclusion,
    file: &crate::policy::file::PolicyFile,
    rule: &MonthlyAllowance,
    kept: &str,
    name: &str,
) -> Option<(String, String)> {
    let post = |k: u16| {
        file.posts
            .get(k as usize)
            .map(|p| (p.zh.as_str(), p.en.as_str()))
            .unwrap_or(("", ""))
    };
    Some(match e.code {
        "serving_not_eligible" => (
            format!("{kept} 为在职人员,不享受{}", rule.zh),
            format!("{name} is in serving employment and gets no {}", rule.en),
        ),
        "lower_post_not_paid" => {
            let (lz, le) = post(e.posts[0]);
            let (hz, he) = post(e.posts[1]);
            (
                format!("{kept} 兼任{lz}和{hz},{}高位取酬,按{hz}计发,{lz}不重复享受", rule.zh),
                format!("{name} holds both {le} and {he}: {} is paid for the higher-paid {he} only, not for {le} as well", rule.en),
            )
        }
        "no_month_held" => (
            format!("{kept} 在所计月份的1日均未在岗,本期不计{}", rule.zh),
            format!(
                "{name} held no listed post on the 1st of any counted month, so no {} is owed",
                rule.en
            ),
        ),
        _ => return None,
    })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::options::BudgetOptions;
    use crate::policy::{file::Rule, Policy};
    use proptest::prelude::*;

    /// Jiayuguan's allowance with schedules that change in the year:
    /// `variant` 0 changes the base and the increment on a date; 1 has no
    /// increment until July 2026 and a deputy director's base that stops at
    /// the end of March 2026 and starts again in June (a gap).
    fn growing_policy(variant: usize) -> Option<Policy> {
        let (_, text) = crate::policy::BUILTIN
            .iter()
            .find(|(id, _)| *id == "jiayuguan-2020-97")?;
        let text = if variant == 0 {
            text.replace(
                r#"amounts.group_leader = [{ from = 2020-11-24, value = "300","#,
                r#"amounts.group_leader = [{ from = 2020-11-24, until = 2026-04-30, value = "300", source = "stated" }, { from = 2026-05-01, value = "300","#,
            )
            .replace(
                r#"increment_per_full_year = [{ from = 2020-11-24, value = "50","#,
                r#"increment_per_full_year = [{ from = 2020-11-24, until = 2026-08-31, value = "50", source = "stated" }, { from = 2026-09-01, value = "60","#,
            )
        } else {
            text.replace(
                r#"amounts.deputy_director = [{ from = 2020-11-24, value = "500","#,
                r#"amounts.deputy_director = [{ from = 2020-11-24, until = 2026-03-31, value = "500", source = "stated" }, { from = 2026-06-01, value = "520","#,
            )
            .replace(
                r#"increment_per_full_year = [{ from = 2020-11-24, value = "50","#,
                r#"increment_per_full_year = [{ from = 2026-07-01, value = "50","#,
            )
        };
        Policy::from_toml(&text, "growing").ok()
    }

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default() + chrono::Duration::days(n)
    }

    proptest! {
        #[test]
        fn one_post_runs_are_the_chosen_runs_of_one_post(
            start in 0i64..4000,
            length in proptest::option::of(0i64..1500),
            post in 0usize..3,
            year in 2025i32..2028,
            variant in 0usize..2,
        ) {
            let policy = growing_policy(variant);
            prop_assert!(policy.is_some());
            let Some(policy) = policy else { return Ok(()) };
            let opts = BudgetOptions::year(year);
            let ctx = Ctx::new(policy.file(), &opts);
            prop_assert!(ctx.is_ok());
            let Ok(ctx) = ctx else { return Ok(()) };
            let Some(Rule::MonthlyAllowance(rule)) = policy.rules().first() else {
                return Err(TestCaseError::fail("the first rule is the allowance"));
            };
            let ready = Ready::new(&ctx, rule, 0, 0);
            let post = ["group_leader", "group_member", "deputy_director"][post];
            let position = policy.post_position(post).unwrap_or(0);
            let listed = Listed {
                post: u16::try_from(position).unwrap_or(0),
                start: day(start),
                end: length.map(|n| day(start + n)),
                base: rule.amounts.get(post).map(Vec::as_slice).unwrap_or_default(),
                cache: std::cell::Cell::new(None),
            };
            let mut one = Vec::new();
            let mut chosen = Scratch::default();
            prop_assert!(ready.one_post_months(&ctx, &listed, &mut one).is_some());
            prop_assert!(ready.chosen_months(&ctx, std::slice::from_ref(&listed), &mut chosen).is_some());
            prop_assert_eq!(one, chosen.runs);
        }
    }
}
