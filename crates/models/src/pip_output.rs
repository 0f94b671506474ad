//! Reading pip's output as it arrives: which package it is fetching now, and the last lines
//! to show when it fails.

use crate::catalogue::WheelPart;
use crate::progress::Progress;
use std::collections::VecDeque;

/// Lines of pip's output kept for error messages.
const TAIL_LINES: usize = 20;

/// Splits pip's output into lines, turns the line that starts each package into
/// [`Progress::Downloading`] and keeps the last lines.
#[derive(Debug)]
pub(crate) struct PipOutput {
    /// Normalised names of the wanted packages, in order.
    packages: Vec<(String, String)>,
    partial: String,
    tail: VecDeque<String>,
}

impl PipOutput {
    pub(crate) fn new(parts: &[WheelPart]) -> Self {
        let packages = parts.iter().map(|p| (normalise(&p.package), p.package.clone())).collect();
        Self { packages, partial: String::new(), tail: VecDeque::new() }
    }

    /// Takes the next piece of output (not necessarily whole lines) and reports packages
    /// whose download started.
    pub(crate) fn feed(&mut self, text: &str, report: &mut dyn FnMut(Progress)) {
        self.partial.push_str(text);
        while let Some(end) = self.partial.find('\n') {
            let line: String = self.partial.drain(..=end).collect();
            self.line(line.trim_end(), report);
        }
    }

    /// The last lines, the unfinished one included.
    pub(crate) fn tail(&self) -> String {
        let mut lines: Vec<&str> = self.tail.iter().map(String::as_str).collect();
        if !self.partial.trim().is_empty() {
            lines.push(self.partial.trim_end());
        }
        lines.join("\n")
    }

    fn line(&mut self, line: &str, report: &mut dyn FnMut(Progress)) {
        if line.trim().is_empty() {
            return;
        }
        if let Some(name) = started_package(line) {
            let total = u32::try_from(self.packages.len()).unwrap_or(u32::MAX);
            if let Some(pos) = self.packages.iter().position(|(n, _)| *n == name) {
                report(Progress::Downloading {
                    package: self.packages[pos].1.clone(),
                    index: u32::try_from(pos + 1).unwrap_or(u32::MAX),
                    total,
                });
            }
        }
        if self.tail.len() == TAIL_LINES {
            self.tail.pop_front();
        }
        self.tail.push_back(line.to_string());
    }
}

/// The normalised distribution name of a line that starts a package: `Collecting
/// <requirement>` when pip fetches from an index, `Processing <path>.whl` when it takes a
/// local file (`--find-links`).
fn started_package(line: &str) -> Option<String> {
    let line = line.trim_start();
    if let Some(rest) = line.strip_prefix("Collecting ") {
        let requirement = rest.split_whitespace().next()?;
        let name = requirement.split(['=', '<', '>', '!', '~', '[', ';', '(']).next()?;
        return Some(normalise(name));
    }
    let path = line.strip_prefix("Processing ")?.trim();
    let file = path.rsplit(['/', '\\']).next()?.strip_suffix(".whl")?;
    Some(normalise(file.split('-').next()?))
}

/// Distribution names compare case-insensitively with `-`, `_` and `.` equivalent.
fn normalise(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', '.'], "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn parts() -> Vec<WheelPart> {
        (1..=3)
            .map(|i| WheelPart {
                package: format!("demo-part{i}"),
                version: "1.0".into(),
                member: String::new(),
            })
            .collect()
    }

    #[test]
    fn reports_collecting_lines_split_across_pieces() {
        let mut out = PipOutput::new(&parts());
        let mut seen = Vec::new();
        let mut report = |p| seen.push(p);
        out.feed("Collecting demo-part2==1.0\n  Downloading demo_part2-1.0-py3", &mut report);
        out.feed("-none-any.whl (1 kB)\nCollecting Demo_Part3==1", &mut report);
        out.feed(".0\nSaved ./demo_part3-1.0-py3-none-any.whl\n", &mut report);
        out.feed("Processing ./wheels/demo_part1-1.0-py3-none-any.whl\n", &mut report);
        assert_eq!(
            seen,
            vec![
                Progress::Downloading { package: "demo-part2".into(), index: 2, total: 3 },
                Progress::Downloading { package: "demo-part3".into(), index: 3, total: 3 },
                Progress::Downloading { package: "demo-part1".into(), index: 1, total: 3 },
            ]
        );
    }

    #[test]
    fn keeps_the_last_lines() {
        let mut out = PipOutput::new(&parts());
        let mut ignore = |_| {};
        for i in 0..30 {
            out.feed(&format!("line {i}\n"), &mut ignore);
        }
        out.feed("ERROR: no matching distribution", &mut ignore);
        let tail = out.tail();
        assert!(tail.starts_with("line 10\n"), "{tail}");
        assert!(tail.ends_with("line 29\nERROR: no matching distribution"), "{tail}");
    }
}
