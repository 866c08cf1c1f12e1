//! A witness's state, stored: for each log it follows, the latest checkpoint it cosigned, kept
//! in a database (SQLite, or another [`Database`]) so that checking a C2SP tlog-witness `add-checkpoint` request against it and
//! storing the new size happen in one transaction, durable before the witness answers.
//!
//! Requests that arrive together share that transaction ([`SharedWitnessStore`], group
//! commit): each is checked against the state as the requests before it in the batch left it,
//! one durable commit stores them all, and only then is any of them answered. The protocol's
//! rule (the new size stored before the answer) holds for every request, at the cost of one
//! disk flush per batch instead of one per request.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::database::{Database, DbError, Value, transaction};
use crate::log::db_error;
use accord_log_core::witness::{
    AddCheckpoint, TrustedLogs, WitnessRefusal, Witnessed, check_against_latest,
    cosignature_answer, verify_add_checkpoint,
};
use accord_log_core::{CosignerKey, Hash, LogError, Result, SignedCheckpoint};

/// The witness's table, in the SQL every [`Database`] runs.
pub const WITNESS_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS witnessed (
    origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL, note BLOB NOT NULL);
";

/// A request whose signatures verified, waiting for its check against the stored state.
type Verified = (AddCheckpoint, SignedCheckpoint);

/// A request's outcome: the checkpoint stored, to cosign, or the refusal.
type Outcome = std::result::Result<SignedCheckpoint, WitnessRefusal>;

/// What a witness has cosigned, per origin, in a database.
#[derive(Debug)]
pub struct WitnessStore {
    db: Box<dyn Database>,
}

impl WitnessStore {
    /// Opens (or creates) the witness state in the SQLite file `path`.
    pub fn open(path: &Path) -> Result<Self> {
        // Every commit is on disk before it returns: the new size before the answer.
        Self::open_in(Box::new(crate::log::connect(path, WITNESS_SCHEMA)?))
    }

    /// Opens (or creates) the witness state in `db`, whose commits are durable when they
    /// return.
    pub fn open_in(db: Box<dyn Database>) -> Result<Self> {
        db.batch(WITNESS_SCHEMA).map_err(db_error(&*db))?;
        Ok(WitnessStore { db })
    }

    /// The latest checkpoint cosigned for `origin`, if any.
    pub fn latest(&self, origin: &str) -> Result<Option<Witnessed>> {
        latest(&*self.db, origin).map_err(db_error(&*self.db))
    }

    /// Answers a `POST add-checkpoint` body: checks it against `logs` and the stored state,
    /// stores the new checkpoint and returns the cosignature line by `key` made at `now`
    /// (seconds since the Unix epoch). The check and the store are one immediate transaction,
    /// so concurrent requests cannot roll the stored size back.
    pub fn add_checkpoint(
        &mut self,
        body: &[u8],
        logs: &TrustedLogs,
        key: &CosignerKey,
        now: u64,
    ) -> std::result::Result<Vec<u8>, WitnessRefusal> {
        let mut outcome = self.store_batch(&[verified(body, logs)?])?;
        let cp = outcome.pop().unwrap_or(Err(WitnessRefusal::Storage(
            "the store gave no outcome".into(),
        )))?;
        Ok(cosignature_answer(key, &cp, now))
    }

    /// Checks each verified request against the stored state, in order (a request sees what
    /// the ones before it stored), and stores every accepted checkpoint, all in one immediate
    /// transaction committed durably before this returns. Gives each request's outcome; an
    /// error of the storage itself fails the whole batch and stores none of it.
    fn store_batch(
        &mut self,
        batch: &[Verified],
    ) -> std::result::Result<Vec<Outcome>, WitnessRefusal> {
        let stored = transaction(&*self.db, true, |tx| {
            let mut outcomes = Vec::with_capacity(batch.len());
            for (req, cp) in batch {
                let last = latest(tx, cp.origin())?;
                match check_against_latest(req, cp, last) {
                    Ok(()) => {
                        tx.execute(
                            "INSERT INTO witnessed(origin, size, root, note)
                             VALUES (?1, ?2, ?3, ?4)
                             ON CONFLICT(origin) DO UPDATE SET size = excluded.size,
                                 root = excluded.root, note = excluded.note",
                            &[
                                cp.origin().into(),
                                cp.size().into(),
                                Value::Blob(cp.root().0.to_vec()),
                                cp.note().into(),
                            ],
                        )?;
                        outcomes.push(Ok(cp.clone()));
                    }
                    Err(refusal) => outcomes.push(Err(refusal)),
                }
            }
            Ok::<_, DbError>(outcomes)
        });
        stored.map_err(|e| WitnessRefusal::Storage(e.to_string()))
    }
}

/// A [`WitnessStore`] shared by the threads that answer requests, committing together the
/// requests that arrive while a commit is under way (group commit).
///
/// A request's signatures are checked on its own thread; then it joins the queue. If no commit
/// is under way, its thread takes the whole queue, checks it against the stored state and
/// commits it in one transaction; otherwise it waits for the commit that takes it. Every
/// request is answered only after the commit that stored it returned.
#[derive(Debug)]
pub struct SharedWitnessStore {
    store: Mutex<WitnessStore>,
    queue: Mutex<Queue>,
    committed: Condvar,
}

/// Requests waiting for a commit, and outcomes waiting for their threads.
#[derive(Debug, Default)]
struct Queue {
    next_ticket: u64,
    waiting: Vec<(u64, Verified)>,
    outcomes: HashMap<u64, Outcome>,
    committing: bool,
}

impl SharedWitnessStore {
    /// Opens (or creates) the witness state in the SQLite file `path`.
    pub fn open(path: &Path) -> Result<Self> {
        Self::shared(WitnessStore::open(path)?)
    }

    /// Opens (or creates) the witness state in `db`.
    pub fn open_in(db: Box<dyn Database>) -> Result<Self> {
        Self::shared(WitnessStore::open_in(db)?)
    }

    fn shared(store: WitnessStore) -> Result<Self> {
        Ok(SharedWitnessStore {
            store: Mutex::new(store),
            queue: Mutex::new(Queue::default()),
            committed: Condvar::new(),
        })
    }

    /// The latest checkpoint cosigned for `origin`, if any.
    pub fn latest(&self, origin: &str) -> Result<Option<Witnessed>> {
        self.store
            .lock()
            .map_err(|_| LogError::Checkpoint("the witness store failed in another thread".into()))?
            .latest(origin)
    }

    /// Answers a `POST add-checkpoint` body as [`WitnessStore::add_checkpoint`] does, sharing
    /// the durable commit with the requests that arrive at the same time.
    pub fn add_checkpoint(
        &self,
        body: &[u8],
        logs: &TrustedLogs,
        key: &CosignerKey,
        now: u64,
    ) -> std::result::Result<Vec<u8>, WitnessRefusal> {
        let cp = self.commit(verified(body, logs)?)?;
        Ok(cosignature_answer(key, &cp, now))
    }

    /// Queues a verified request and returns its outcome once a commit has taken it.
    fn commit(&self, request: Verified) -> std::result::Result<SignedCheckpoint, WitnessRefusal> {
        let mut queue = self.lock_queue()?;
        let ticket = queue.next_ticket;
        queue.next_ticket += 1;
        queue.waiting.push((ticket, request));
        loop {
            if let Some(outcome) = queue.outcomes.remove(&ticket) {
                return outcome;
            }
            if queue.committing {
                queue = self.committed.wait(queue).map_err(|_| poisoned())?;
                continue;
            }
            queue.committing = true;
            let (tickets, batch): (Vec<u64>, Vec<Verified>) =
                std::mem::take(&mut queue.waiting).into_iter().unzip();
            drop(queue);
            let stored = self
                .store
                .lock()
                .map_err(|_| poisoned())
                .and_then(|mut store| store.store_batch(&batch));
            queue = self.lock_queue()?;
            match stored {
                Ok(outcomes) => {
                    for (ticket, outcome) in tickets.iter().zip(outcomes) {
                        queue.outcomes.insert(*ticket, outcome);
                    }
                }
                Err(e) => {
                    for ticket in &tickets {
                        queue.outcomes.insert(*ticket, Err(e.clone()));
                    }
                }
            }
            queue.committing = false;
            self.committed.notify_all();
        }
    }

    fn lock_queue(&self) -> std::result::Result<MutexGuard<'_, Queue>, WitnessRefusal> {
        self.queue.lock().map_err(|_| poisoned())
    }
}

/// Parses a request body and checks what needs no state (see [`verify_add_checkpoint`]).
fn verified(body: &[u8], logs: &TrustedLogs) -> std::result::Result<Verified, WitnessRefusal> {
    let req = AddCheckpoint::parse(body)?;
    let cp = verify_add_checkpoint(&req, logs)?;
    Ok((req, cp))
}

fn poisoned() -> WitnessRefusal {
    WitnessRefusal::Storage("the witness store failed in another thread".into())
}

fn latest(db: &dyn Database, origin: &str) -> std::result::Result<Option<Witnessed>, DbError> {
    let Some(row) = db.row(
        "SELECT size, root FROM witnessed WHERE origin = ?1",
        &[origin.into()],
    )?
    else {
        return Ok(None);
    };
    // A damaged row must stop the witness, never read as "never cosigned".
    let damaged = |what: &str| DbError::Value(format!("the witnessed row of {origin} has {what}"));
    Ok(Some(Witnessed {
        size: row[0].size().map_err(|_| damaged("a negative size"))?,
        root: Hash(
            row[1]
                .blob()?
                .try_into()
                .map_err(|_| damaged("a root that is not 32 bytes"))?,
        ),
    }))
}
