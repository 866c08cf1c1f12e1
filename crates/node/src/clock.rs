//! The node's clock, passed in so that tests replay a node's behaviour at chosen instants.

use std::sync::Mutex;

use accord_model::Instant;

/// Where the node reads the current instant.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The instant now.
    fn now(&self) -> Instant;

    /// The instant now in whole seconds since the Unix epoch (0 before it).
    fn unix_seconds(&self) -> u64 {
        self.now().as_second().max(0) as u64
    }
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        jiff::Timestamp::now()
    }
}

/// A clock that stands still until it is set or advanced.
#[derive(Debug)]
pub struct ManualClock(Mutex<Instant>);

impl ManualClock {
    /// A clock showing `at`.
    pub fn new(at: Instant) -> Self {
        ManualClock(Mutex::new(at))
    }

    /// Sets the instant shown.
    pub fn set(&self, at: Instant) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: jiff::SignedDuration) {
        let mut t = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *t = t.saturating_add(by).unwrap_or(*t);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
