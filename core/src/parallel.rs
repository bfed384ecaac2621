//! When to use a second thread: for large inputs on machines with two cores
//! or more, never in WASM (no threads there). What runs in parallel is
//! independent (the items of two runs of communities) and is joined in input
//! order, so the answer, and the first error, do not depend on it. Freeing
//! a large input can also be left to a pool thread ([`drop_later`]).

/// Below this many records a task stays on one thread: a second would not
/// pay for itself.
const PARALLEL_FROM: usize = 20_000;

/// Whether a task over `records` records is split between two threads.
pub(crate) fn two_threads(records: usize) -> bool {
    !cfg!(target_arch = "wasm32")
        && records >= PARALLEL_FROM
        && std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2)
        && pool_is_ours()
}

/// The process that first used the thread pool. A child forked after that
/// (Python's `multiprocessing` forks on Linux) inherits the pool's state but
/// none of its threads: work sent there would wait forever, so the child
/// computes on its own thread.
static POOL_OWNER: std::sync::OnceLock<u32> = std::sync::OnceLock::new();

fn pool_is_ours() -> bool {
    let me = std::process::id();
    *POOL_OWNER.get_or_init(|| me) == me
}

/// `first()` and `second()`, on two threads (rayon's, which live as long as
/// the process; in WASM one after the other). A panic in either goes on to
/// the caller.
pub(crate) fn join<A, B>(
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B + Send,
) -> (A, B)
where
    A: Send,
    B: Send,
{
    #[cfg(not(target_arch = "wasm32"))]
    {
        rayon::join(first, second)
    }
    #[cfg(target_arch = "wasm32")]
    {
        let a = first();
        (a, second())
    }
}

/// `f` of each of `items`, on the pool's threads (in WASM, or in a
/// process forked after the pool started, one after the other); the
/// answers in the items' order. A plan's budgets (one per scenario and
/// year) are computed this way.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        if items.len() > 1 && pool_is_ours() {
            use rayon::prelude::*;
            return items.par_iter().map(f).collect();
        }
    }
    items.iter().map(f).collect()
}

/// Free `value` on a pool thread, so the caller need not wait for it; in
/// WASM, or in a process forked after the pool started, at once. Bindings
/// use it for the input they read for a budget: freeing a province's
/// people (290 000 of them, each with its own strings) takes some 6 ms.
///
/// ```
/// let people = vec![String::from("王芳"); 1000];
/// shequ::parallel::drop_later(people); // returns at once
/// ```
pub fn drop_later<T: Send + 'static>(value: T) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        if pool_is_ours() {
            rayon::spawn(move || drop(value));
            return;
        }
    }
    drop(value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::thread::ThreadId;
    use std::time::Duration;

    /// Says on which thread it is dropped.
    struct Tell(mpsc::Sender<ThreadId>);

    impl Drop for Tell {
        fn drop(&mut self) {
            let _ = self.0.send(std::thread::current().id());
        }
    }

    #[test]
    fn a_value_left_to_drop_later_is_dropped_on_a_pool_thread() {
        let (tx, rx) = mpsc::channel();
        drop_later(Tell(tx));
        let dropped_on = rx.recv_timeout(Duration::from_secs(30));
        assert!(dropped_on.is_ok(), "never dropped");
        if !cfg!(target_arch = "wasm32") {
            assert_ne!(dropped_on.ok(), Some(std::thread::current().id()));
        }
    }
}
