//! Redirections: which files a command writes (`>`, `>>`, `&>`, `>&file`) or reads (`<`),
//! and the commands hidden in here-documents, here-strings and process substitutions.

use super::super::ShellWord;
use super::super::words;
use super::Walker;
use brush_parser::ast::{IoFileRedirectKind, IoFileRedirectTarget, IoRedirect};

/// Files a command's redirections touch.
#[derive(Default)]
pub(super) struct Redirections {
    pub(super) writes: Vec<ShellWord>,
    pub(super) reads: Vec<ShellWord>,
}

/// Output targets that are not files.
const HARMLESS_TARGETS: &[&str] = &["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"];

impl Walker {
    /// The files `redirects` write and read, after walking the commands hidden inside them.
    pub(super) fn redirections<'r>(
        &mut self,
        redirects: impl IntoIterator<Item = &'r IoRedirect>,
    ) -> Redirections {
        let mut files = Redirections::default();
        for redirect in redirects {
            match redirect {
                IoRedirect::File(_, kind, target) => self.file_redirect(kind, target, &mut files),
                IoRedirect::HereDocument(_, document) => {
                    // A quoted delimiter (`<<'EOF'`) keeps the body literal; otherwise
                    // `$( … )` in it runs.
                    if document.requires_expansion {
                        let body = &document.doc.value;
                        let resolved = words::resolve_heredoc(body, &self.options);
                        self.absorb(body, resolved);
                    }
                }
                IoRedirect::HereString(_, word) => {
                    self.word(&word.value);
                }
                IoRedirect::OutputAndError(word, _) => {
                    let target = self.word(&word.value);
                    files.writes.push(target);
                }
            }
        }
        files.writes.retain(|target| !is_harmless_target(target));
        files.reads.retain(|target| !is_harmless_target(target));
        files
    }

    fn file_redirect(
        &mut self,
        kind: &IoFileRedirectKind,
        target: &IoFileRedirectTarget,
        files: &mut Redirections,
    ) {
        let word = match target {
            IoFileRedirectTarget::Filename(word) => word,
            // `>&2`, `2>&1`, `>&-` only duplicate descriptors; `>&file` writes `file`.
            IoFileRedirectTarget::Duplicate(word) => {
                let target = self.word(&word.value);
                if !is_descriptor(&target) {
                    match kind {
                        IoFileRedirectKind::DuplicateInput => files.reads.push(target),
                        _ => files.writes.push(target),
                    }
                }
                return;
            }
            IoFileRedirectTarget::Fd(_) => return,
            IoFileRedirectTarget::ProcessSubstitution(_, subshell) => {
                self.nested(|walker| walker.compound_list(&subshell.list));
                return;
            }
        };
        let target = self.word(&word.value);
        match kind {
            IoFileRedirectKind::Read | IoFileRedirectKind::DuplicateInput => {
                files.reads.push(target)
            }
            IoFileRedirectKind::ReadAndWrite => {
                files.reads.push(target.clone());
                files.writes.push(target);
            }
            IoFileRedirectKind::Write
            | IoFileRedirectKind::Append
            | IoFileRedirectKind::Clobber
            | IoFileRedirectKind::DuplicateOutput => files.writes.push(target),
        }
    }
}

fn is_harmless_target(target: &ShellWord) -> bool {
    !target.dynamic
        && (HARMLESS_TARGETS.contains(&target.text.as_str()) || target.text.starts_with("/dev/fd/"))
}

/// `1`, `2`, `-`, `3-` (move descriptor): a descriptor, not a file name.
fn is_descriptor(target: &ShellWord) -> bool {
    let digits = target.text.trim_end_matches('-');
    !target.dynamic
        && (target.text == "-"
            || (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())))
}
