//! The `grep` tool: regex search over file contents with ripgrep's engine.

use super::walk::{search_root, walker};
use crate::blocking::run_blocking;
use crate::context::ToolContext;
use crate::paths::display;
use crate::text::{prefix_chars, truncate_with_note};
use crate::tool::{ToolOutput, TypedTool};
use grep::regex::{RegexMatcher, RegexMatcherBuilder};
use grep::searcher::{BinaryDetection, Searcher, SearcherBuilder, Sink, SinkContext, SinkMatch};
use ignore::WalkState;
use ignore::overrides::OverrideBuilder;
use ignore::types::TypesBuilder;
use schemars::JsonSchema;
use serde::Deserialize;
use std::cmp::Reverse;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::SystemTime;

/// Entries shown per mode when no head_limit is given.
const DEFAULT_FILES: usize = 200;
const DEFAULT_LINES: usize = 300;
/// Largest head_limit honoured.
const MAX_HEAD_LIMIT: usize = 5000;
/// Lines collected before the walk stops early.
const HARD_CAP: usize = 20_000;
/// Characters of one matching line shown.
const MAX_LINE_CHARS: usize = 300;
/// Characters of the whole result.
const MAX_OUTPUT_CHARS: usize = 30_000;

/// Searches file contents with a regular expression.
#[derive(Debug, Clone, Copy, Default)]
pub struct GrepTool;

/// What grep returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum OutputMode {
    // Paths of matching files, most recently modified first.
    #[default]
    FilesWithMatches,
    // Matching lines as `path:line:text`.
    Content,
    // Number of matching lines per file.
    Count,
}

/// Arguments of `grep`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrepArgs {
    /// Regular expression (Rust regex syntax; escape literal braces and parentheses).
    pattern: String,
    /// File or directory to search (default: working directory).
    path: Option<String>,
    /// Only search files matching this glob, e.g. `*.rs` or `*.{ts,tsx}`.
    glob: Option<String>,
    /// Only search files of this type, e.g. `rust`, `py`, `js`.
    #[serde(rename = "type")]
    file_type: Option<String>,
    /// Ignore case.
    #[serde(default)]
    case_insensitive: bool,
    /// Lines of context around each match (content mode).
    context: Option<u32>,
    /// files_with_matches (default), content, or count.
    #[serde(default)]
    output_mode: OutputMode,
    /// Maximum entries (files, lines or counts) returned.
    head_limit: Option<u32>,
    /// Let the pattern span lines (`.` also matches newlines).
    #[serde(default)]
    multiline: bool,
}

#[async_trait::async_trait]
impl TypedTool for GrepTool {
    type Args = GrepArgs;
    const NAME: &'static str = "grep";
    const DESCRIPTION: &'static str = "Search file contents with a regular expression \
        (ripgrep engine, respects .gitignore). Filter with glob or type. output_mode: \
        files_with_matches (default), content (lines as path:line:text, with optional \
        context), or count.";
    const READ_ONLY: bool = true;

    async fn call(&self, args: GrepArgs, ctx: &ToolContext) -> ToolOutput {
        let ctx = ctx.clone();
        run_blocking(move || grep(&ctx, &args)).await
    }
}

/// Matches found in one file.
struct FileHits {
    path: PathBuf,
    mtime: Option<SystemTime>,
    count: usize,
    lines: Vec<String>,
}

fn grep(ctx: &ToolContext, args: &GrepArgs) -> ToolOutput {
    let root = match search_root(ctx, args.path.as_deref()) {
        Ok(r) => r,
        Err(e) => return ToolOutput::error(e),
    };
    let matcher = match build_matcher(args) {
        Ok(m) => m,
        Err(e) => return ToolOutput::error(e),
    };
    let mut builder = walker(&root);
    if let Some(glob) = args.glob.as_deref().filter(|g| !g.trim().is_empty()) {
        let mut overrides = OverrideBuilder::new(&root);
        for part in glob.split_whitespace() {
            if let Err(e) = overrides.add(part) {
                return ToolOutput::error(format!("invalid glob {part:?}: {e}"));
            }
        }
        match overrides.build() {
            Ok(o) => builder.overrides(o),
            Err(e) => return ToolOutput::error(format!("invalid glob {glob:?}: {e}")),
        };
    }
    if let Some(ty) = args.file_type.as_deref().filter(|t| !t.trim().is_empty()) {
        let mut types = TypesBuilder::new();
        types.add_defaults();
        types.select(ty.trim());
        match types.build() {
            Ok(t) => builder.types(t),
            Err(e) => return ToolOutput::error(format!("unknown file type {ty:?}: {e}")),
        };
    }

    let mode = args.output_mode;
    let context = if mode == OutputMode::Content { args.context.unwrap_or(0) as usize } else { 0 };
    let collected = AtomicUsize::new(0);
    let capped = AtomicBool::new(false);
    let hits: Mutex<Vec<FileHits>> = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let matcher = matcher.clone();
        let mut searcher = SearcherBuilder::new()
            .line_number(true)
            .multi_line(args.multiline)
            .before_context(context)
            .after_context(context)
            .binary_detection(BinaryDetection::quit(0))
            .build();
        let cwd = ctx.cwd();
        let (collected, capped, hits) = (&collected, &capped, &hits);
        Box::new(move |entry| {
            let Ok(entry) = entry else { return WalkState::Continue };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let Some(found) = search_file(&mut searcher, &matcher, entry.path(), &cwd, mode) else {
                return WalkState::Continue;
            };
            let weight = found.lines.len().max(1);
            if let Ok(mut hits) = hits.lock() {
                hits.push(found);
            }
            if collected.fetch_add(weight, Ordering::Relaxed) + weight >= HARD_CAP {
                capped.store(true, Ordering::Relaxed);
                return WalkState::Quit;
            }
            WalkState::Continue
        })
    });
    let mut hits = hits.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    if hits.is_empty() {
        return ToolOutput::ok(format!("No matches for /{}/ in {}", args.pattern, root.display()));
    }
    let limit = args
        .head_limit
        .map_or(if mode == OutputMode::Content { DEFAULT_LINES } else { DEFAULT_FILES }, |l| {
            (l as usize).clamp(1, MAX_HEAD_LIMIT)
        });
    let mut out = render(ctx, &mut hits, mode, context > 0, limit);
    if capped.load(Ordering::Relaxed) {
        out.push_str(
            "\n[Search stopped early after too many matches; narrow the pattern or path.]",
        );
    }
    truncate_with_note(&mut out, MAX_OUTPUT_CHARS, |n| {
        format!("\n[... {n} more characters cut; use head_limit, glob or a narrower path.]")
    });
    ToolOutput::ok(out)
}

fn build_matcher(args: &GrepArgs) -> Result<RegexMatcher, String> {
    if args.pattern.is_empty() {
        return Err("pattern is empty".into());
    }
    let mut builder = RegexMatcherBuilder::new();
    builder.case_insensitive(args.case_insensitive).multi_line(true);
    if args.multiline {
        builder.dot_matches_new_line(true);
    } else {
        // Lets the searcher match line by line (fast path); a pattern that could match a
        // newline is rejected with a hint below.
        builder.line_terminator(Some(b'\n'));
    }
    builder.build(&args.pattern).map_err(|e| {
        let hint = if args.multiline { "" } else { " (to match across lines set multiline: true)" };
        format!("invalid regex /{}/: {e}{hint}", args.pattern)
    })
}

fn search_file(
    searcher: &mut Searcher,
    matcher: &RegexMatcher,
    path: &Path,
    cwd: &Path,
    mode: OutputMode,
) -> Option<FileHits> {
    let mut sink =
        HitSink { shown: display(cwd, path).into_owned(), mode, count: 0, lines: Vec::new() };
    if let Err(err) = searcher.search_path(matcher, path, &mut sink) {
        tracing::debug!(path = %path.display(), %err, "grep skipped a file");
    }
    if sink.count == 0 {
        return None;
    }
    let mtime = if mode == OutputMode::FilesWithMatches {
        std::fs::metadata(path).ok().and_then(|m| m.modified().ok())
    } else {
        None
    };
    Some(FileHits { path: path.to_path_buf(), mtime, count: sink.count, lines: sink.lines })
}

/// Collects what one file contributes, per output mode.
struct HitSink {
    shown: String,
    mode: OutputMode,
    count: usize,
    lines: Vec<String>,
}

impl HitSink {
    fn push(&mut self, number: Option<u64>, sep: char, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        let text = text.trim_end_matches(['\n', '\r']);
        let (kept, cut) = prefix_chars(text, MAX_LINE_CHARS);
        let mut line = format!("{}{sep}{}{sep}{kept}", self.shown, number.unwrap_or(0));
        if cut {
            line.push_str(" [...]");
        }
        self.lines.push(line);
    }
}

impl Sink for HitSink {
    type Error = io::Error;

    fn matched(&mut self, _: &Searcher, mat: &SinkMatch<'_>) -> Result<bool, io::Error> {
        self.count += 1;
        match self.mode {
            OutputMode::FilesWithMatches => Ok(false),
            OutputMode::Count => Ok(true),
            OutputMode::Content => {
                let mut number = mat.line_number();
                for line in mat.lines() {
                    self.push(number, ':', line);
                    number = number.map(|n| n + 1);
                }
                Ok(self.lines.len() < HARD_CAP)
            }
        }
    }

    fn context(&mut self, _: &Searcher, ctx: &SinkContext<'_>) -> Result<bool, io::Error> {
        if self.mode == OutputMode::Content {
            self.push(ctx.line_number(), '-', ctx.bytes());
        }
        Ok(true)
    }

    fn context_break(&mut self, _: &Searcher) -> Result<bool, io::Error> {
        if self.mode == OutputMode::Content {
            self.lines.push("--".into());
        }
        Ok(true)
    }
}

fn render(
    ctx: &ToolContext,
    hits: &mut [FileHits],
    mode: OutputMode,
    with_context: bool,
    limit: usize,
) -> String {
    let cwd = ctx.cwd();
    let mut out = String::new();
    match mode {
        OutputMode::FilesWithMatches => {
            hits.sort_unstable_by(|a, b| {
                Reverse(a.mtime).cmp(&Reverse(b.mtime)).then_with(|| a.path.cmp(&b.path))
            });
            for hit in hits.iter().take(limit) {
                out.push_str(&display(&cwd, &hit.path));
                out.push('\n');
            }
            note_more(&mut out, hits.len(), limit, "files");
        }
        OutputMode::Count => {
            hits.sort_unstable_by(|a, b| a.path.cmp(&b.path));
            for hit in hits.iter().take(limit) {
                out.push_str(&format!("{}:{}\n", display(&cwd, &hit.path), hit.count));
            }
            let total: usize = hits.iter().map(|h| h.count).sum();
            note_more(&mut out, hits.len(), limit, "files");
            out.push_str(&format!("[{total} matching lines in {} files]", hits.len()));
        }
        OutputMode::Content => {
            hits.sort_unstable_by(|a, b| a.path.cmp(&b.path));
            let total: usize = hits.iter().map(|h| h.lines.len()).sum();
            let mut shown = 0;
            for (i, hit) in hits.iter().enumerate() {
                if shown >= limit {
                    break;
                }
                if with_context && i > 0 {
                    out.push_str("--\n");
                }
                for line in hit.lines.iter().take(limit - shown) {
                    out.push_str(line);
                    out.push('\n');
                    shown += 1;
                }
            }
            note_more(&mut out, total, limit, "lines");
        }
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

fn note_more(out: &mut String, total: usize, limit: usize, what: &str) {
    if total > limit {
        out.push_str(&format!(
            "[Showing {limit} of {total} {what}; raise head_limit or narrow the search.]\n"
        ));
    }
}
