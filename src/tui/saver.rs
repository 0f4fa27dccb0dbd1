//! Saving on a background thread, so a slow disk never freezes the screen.
//!
//! The screen sends a copy of the response and its audit trail after every confirmed answer;
//! the thread writes both atomically through [`Store::save_interview`] (trail first) and
//! reports back. When answers come faster than the disk,
//! queued copies of the same interview are collapsed into the newest one.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::audit::AuditEvent;
use crate::store::{Response, Store};

/// One save to do.
struct Job {
    store: Store,
    response: Response,
    trail: Vec<AuditEvent>,
    generation: u64,
    /// The file was written before in this session, so it should be there.
    expect_file: bool,
}

/// The outcome of one save.
#[derive(Debug, Clone)]
pub struct Saved {
    pub id: Uuid,
    /// The interview's generation that was written (or failed to be).
    pub generation: u64,
    pub result: Result<PathBuf, String>,
    /// The file had disappeared (removed by another program while the interview was open) and
    /// was written again from the screen's copy.
    pub recreated: bool,
}

/// The saving thread and its two channels.
#[derive(Debug)]
pub struct Saver {
    jobs: Option<Sender<Job>>,
    done: Receiver<Saved>,
    pending: usize,
    thread: Option<JoinHandle<()>>,
}

impl Default for Saver {
    fn default() -> Self {
        Self::new()
    }
}

impl Saver {
    /// Starts the thread.
    pub fn new() -> Self {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (done_tx, done) = mpsc::channel::<Saved>();
        let thread = std::thread::Builder::new()
            .name("anketa-saver".into())
            .spawn(move || save_loop(&job_rx, &done_tx))
            .ok();
        Self {
            jobs: Some(jobs),
            done,
            pending: 0,
            thread,
        }
    }

    /// Queues a save of `response` and its `trail` (at `generation`) into `store`;
    /// `expect_file` when an earlier save of this session wrote it (a missing file is then
    /// reported in [`Saved::recreated`]).
    pub fn save(
        &mut self,
        store: &Store,
        response: &Response,
        trail: &[AuditEvent],
        generation: u64,
        expect_file: bool,
    ) {
        let job = Job {
            store: store.clone(),
            response: response.clone(),
            trail: trail.to_vec(),
            generation,
            expect_file,
        };
        let sent = self.jobs.as_ref().is_some_and(|tx| tx.send(job).is_ok());
        if sent {
            self.pending += 1;
        }
    }

    /// Saves still under way (the screen polls for their results while there are any).
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// The results that have arrived, without waiting.
    pub fn results(&mut self) -> Vec<Saved> {
        let out: Vec<Saved> = self.done.try_iter().collect();
        self.count_done(&out);
        out
    }

    /// Waits (up to `timeout`) until every queued save has reported, and returns the results.
    pub fn wait(&mut self, timeout: Duration) -> Vec<Saved> {
        let deadline = Instant::now() + timeout;
        let mut out = Vec::new();
        while self.pending > out.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.done.recv_timeout(left) {
                Ok(saved) => out.push(saved),
                Err(_) => break,
            }
        }
        out.extend(self.done.try_iter());
        self.count_done(&out);
        out
    }

    fn count_done(&mut self, results: &[Saved]) {
        self.pending = self.pending.saturating_sub(results.len());
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        // Closing the channel ends the thread once the queue is written.
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn save_loop(jobs: &Receiver<Job>, done: &Sender<Saved>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        batch.extend(jobs.try_iter());
        // Only the newest copy of each interview is worth writing; the others are reported as
        // written by it, so the screen's count of pending saves stays right.
        let newest: Vec<usize> = (0..batch.len())
            .filter(|&i| {
                !batch[i + 1..]
                    .iter()
                    .any(|j| j.response.id == batch[i].response.id)
            })
            .collect();
        for (i, job) in batch.iter().enumerate() {
            if !newest.contains(&i) {
                continue;
            }
            let expected = job.expect_file || batch[..i].iter().any(|j| j.expect_file);
            let gone = expected
                && job
                    .store
                    .response_path(&job.response)
                    .is_ok_and(|p| !p.exists());
            let result = job
                .store
                .save_interview(&job.response, &job.trail)
                .map_err(|e| e.to_string());
            let recreated = gone && result.is_ok();
            for skipped in batch[..i]
                .iter()
                .filter(|j| j.response.id == job.response.id)
            {
                let _ = done.send(Saved {
                    id: skipped.response.id,
                    generation: skipped.generation,
                    result: result.clone(),
                    recreated,
                });
            }
            let _ = done.send(Saved {
                id: job.response.id,
                generation: job.generation,
                result,
                recreated,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::catalog;

    #[test]
    fn saves_in_the_background_and_reports_failures() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let response = Response::new(&form, "Мария", "PDV22", "bg");
        let mut saver = Saver::new();
        for generation in 1..=5 {
            saver.save(&store, &response, &[], generation, generation > 1);
        }
        let results = saver.wait(Duration::from_secs(10));
        assert_eq!(results.len(), 5);
        assert!(results.iter().all(|r| r.result.is_ok()));
        assert_eq!(saver.pending(), 0);
        assert!(store.response_path(&response).unwrap().is_file());

        // A file where the responses folder should be makes every save fail.
        let bad = tempfile::tempdir().unwrap();
        std::fs::write(bad.path().join("responses"), b"").unwrap();
        let bad_store = Store::open(bad.path()).unwrap();
        saver.save(&bad_store, &response, &[], 6, false);
        let results = saver.wait(Duration::from_secs(10));
        assert!(results[0].result.is_err());
    }

    #[test]
    fn a_file_removed_while_open_is_written_again_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let form = catalog::default_form().unwrap();
        let response = Response::new(&form, "Мария", "PDV22", "bg");
        let mut saver = Saver::new();
        saver.save(&store, &response, &[], 1, false);
        assert!(!saver.wait(Duration::from_secs(10))[0].recreated);
        let path = store.response_path(&response).unwrap();
        std::fs::remove_file(&path).unwrap();
        saver.save(&store, &response, &[], 2, true);
        let results = saver.wait(Duration::from_secs(10));
        assert!(results[0].recreated);
        assert!(path.is_file());
    }
}
