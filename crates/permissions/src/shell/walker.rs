//! Walks brush-parser's syntax tree and collects every simple command, descending into lists,
//! pipelines, compound commands, functions, command and process substitutions and the literal
//! scripts of `bash -c` / `eval`.

mod redirects;

use super::opaque;
use super::variables::{declared_variables, is_dangerous_variable};
use super::words::{self, ResolvedWord};
use super::wrappers;
use super::{MAX_COMMAND_BYTES, ShellAnalysis, ShellWord, SimpleCommand, Unjudgeable};
use brush_parser::ast::{
    self, AndOr, Command, CommandPrefixOrSuffixItem, CompoundCommand, CompoundList,
    ExtendedTestExpr, IoRedirect,
};
use brush_parser::{Parser, ParserOptions};
use redirects::Redirections;

/// Nesting (compound commands, substitutions, `bash -c` scripts) deeper than this is not
/// followed: no real command needs it, and it bounds the stack used.
const MAX_DEPTH: usize = 24;

/// Brackets nested deeper than this are refused before parsing, so that a hostile command
/// line cannot make the parser itself recurse without bound.
const MAX_BRACKETS: usize = 64;

/// Analyses a whole command line.
pub(super) fn analyze(command_line: &str) -> ShellAnalysis {
    let mut walker = Walker {
        options: ParserOptions::default(),
        out: ShellAnalysis::default(),
        depth: 0,
        source: String::new(),
    };
    walker.script(command_line, "");
    walker.out
}

struct Walker {
    options: ParserOptions,
    out: ShellAnalysis,
    depth: usize,
    /// The script being walked, to look at the source of ambiguous constructs.
    source: String,
}

impl Walker {
    fn unjudgeable(&mut self, command: impl Into<String>, reason: impl Into<String>) {
        self.out.unjudgeable.push(Unjudgeable { command: command.into(), reason: reason.into() });
    }

    /// Parses and walks one script (the whole line, or the inside of a substitution).
    fn script(&mut self, script: &str, context: &str) {
        if script.len() > MAX_COMMAND_BYTES {
            self.unjudgeable(context, "the command line is too long to check");
            return;
        }
        if bracket_depth(script) > MAX_BRACKETS {
            self.unjudgeable(context, "the command line nests too deeply to check");
            return;
        }
        let mut parser = Parser::new(script.as_bytes(), &self.options);
        match parser.parse_program() {
            Ok(program) => {
                let outer = std::mem::replace(&mut self.source, script.to_owned());
                for list in &program.complete_commands {
                    self.nested(|walker| walker.compound_list(list));
                }
                self.source = outer;
            }
            Err(error) => {
                tracing::debug!(%error, "shell command did not parse");
                let shown = if context.is_empty() { script } else { context };
                self.unjudgeable(shown, format!("the command could not be parsed ({error})"));
            }
        }
    }

    /// Runs `walk` one level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested(&mut self, walk: impl FnOnce(&mut Self)) {
        if self.depth >= MAX_DEPTH {
            if !self.out.unjudgeable.iter().any(|u| u.reason.contains("nests too deeply")) {
                self.unjudgeable("", "the command line nests too deeply to check");
            }
            return;
        }
        self.depth += 1;
        walk(self);
        self.depth -= 1;
    }

    fn compound_list(&mut self, list: &CompoundList) {
        for ast::CompoundListItem(and_or, _separator) in &list.0 {
            self.pipeline(&and_or.first);
            for next in &and_or.additional {
                match next {
                    AndOr::And(pipeline) | AndOr::Or(pipeline) => self.pipeline(pipeline),
                }
            }
        }
    }

    fn pipeline(&mut self, pipeline: &ast::Pipeline) {
        for (position, command) in pipeline.seq.iter().enumerate() {
            self.command(command, position > 0);
        }
    }

    fn command(&mut self, command: &Command, piped: bool) {
        match command {
            Command::Simple(simple) => self.simple(simple, piped),
            Command::Compound(compound, redirects) => {
                self.nested(|walker| walker.compound(compound));
                self.redirect_list(redirects.as_ref());
            }
            // The body runs whenever the function is called, so it is judged as if it ran.
            Command::Function(function) => {
                let ast::FunctionBody(body, redirects) = &function.body;
                self.nested(|walker| walker.compound(body));
                self.redirect_list(redirects.as_ref());
            }
            Command::ExtendedTest(test, redirects) => {
                self.extended_test(&test.expr);
                let mut test_command = SimpleCommand {
                    words: vec![ShellWord::literal("[["), ShellWord::literal("]]")],
                    ..SimpleCommand::default()
                };
                if let Some(list) = redirects {
                    let files = self.redirections(&list.0);
                    test_command.writes = files.writes;
                    test_command.reads = files.reads;
                }
                self.out.commands.push(test_command);
            }
        }
    }

    /// Redirections on a compound command apply to all of it: recorded as a command of their
    /// own with no words, so the files are still judged.
    fn redirect_list(&mut self, redirects: Option<&ast::RedirectList>) {
        let Some(list) = redirects else { return };
        let files = self.redirections(&list.0);
        if !files.writes.is_empty() || !files.reads.is_empty() {
            self.out.commands.push(SimpleCommand {
                words: Vec::new(),
                writes: files.writes,
                reads: files.reads,
            });
        }
    }

    fn compound(&mut self, compound: &CompoundCommand) {
        match compound {
            CompoundCommand::BraceGroup(group) => self.compound_list(&group.list),
            CompoundCommand::Subshell(subshell) => self.compound_list(&subshell.list),
            CompoundCommand::ForClause(clause) => {
                for value in clause.values.iter().flatten() {
                    self.word(&value.value);
                }
                self.compound_list(&clause.body.list);
            }
            CompoundCommand::ArithmeticForClause(clause) => {
                for expression in
                    [&clause.initializer, &clause.condition, &clause.updater].into_iter().flatten()
                {
                    self.arithmetic(&expression.value);
                }
                self.compound_list(&clause.body.list);
            }
            CompoundCommand::CaseClause(clause) => {
                self.word(&clause.value.value);
                for item in &clause.cases {
                    for pattern in &item.patterns {
                        self.word(&pattern.value);
                    }
                    if let Some(list) = &item.cmd {
                        self.compound_list(list);
                    }
                }
            }
            CompoundCommand::IfClause(clause) => {
                self.compound_list(&clause.condition);
                self.compound_list(&clause.then);
                for other in clause.elses.iter().flatten() {
                    if let Some(condition) = &other.condition {
                        self.compound_list(condition);
                    }
                    self.compound_list(&other.body);
                }
            }
            CompoundCommand::WhileClause(clause) | CompoundCommand::UntilClause(clause) => {
                self.compound_list(&clause.0);
                self.compound_list(&clause.1.list);
            }
            CompoundCommand::Arithmetic(arithmetic) => self.arithmetic_command(arithmetic),
            CompoundCommand::Coprocess(coprocess) => {
                let body = &coprocess.body;
                self.nested(|walker| walker.command(body, false));
            }
        }
    }

    /// `(( … ))`. brush-parser also reads `( ( cmd ) )` (nested subshells to bash) as
    /// arithmetic, which would hide `cmd`; so an arithmetic command must start with an
    /// adjacent `((` and hold a valid arithmetic expression, or it cannot be judged.
    fn arithmetic_command(&mut self, command: &ast::ArithmeticCommand) {
        let expression = &command.expr.value;
        let start = command.loc.start.index;
        let adjacent = self.source.chars().skip(start).take(2).eq("((".chars());
        if !adjacent || brush_parser::arithmetic::parse(expression).is_err() {
            self.unjudgeable(
                format!("(( {expression} ))"),
                "this may be nested subshells rather than arithmetic",
            );
            // Read as bash would, so deny rules still see the commands.
            self.nested(|walker| walker.script(expression, expression));
            return;
        }
        self.arithmetic(expression);
    }

    fn arithmetic(&mut self, expression: &str) {
        if expression.contains("$(") || expression.contains('`') {
            self.unjudgeable(
                format!("(( {expression} ))"),
                "arithmetic that runs a command substitution",
            );
        }
    }

    fn extended_test(&mut self, expression: &ExtendedTestExpr) {
        match expression {
            ExtendedTestExpr::And(left, right) | ExtendedTestExpr::Or(left, right) => {
                self.extended_test(left);
                self.extended_test(right);
            }
            ExtendedTestExpr::Not(inner) | ExtendedTestExpr::Parenthesized(inner) => {
                self.extended_test(inner);
            }
            ExtendedTestExpr::UnaryTest(_, word) => {
                self.word(&word.value);
            }
            ExtendedTestExpr::BinaryTest(_, left, right) => {
                self.word(&left.value);
                self.word(&right.value);
            }
        }
    }

    /// Resolves a word, walking the command substitutions inside it.
    fn word(&mut self, raw: &str) -> ShellWord {
        let resolved = words::resolve(raw, &self.options);
        self.absorb(raw, resolved)
    }

    fn absorb(&mut self, raw: &str, resolved: ResolvedWord) -> ShellWord {
        if let Some(problem) = resolved.problem {
            self.unjudgeable(raw, problem);
        }
        for substitution in &resolved.substitutions {
            self.nested(|walker| walker.script(substitution, substitution));
        }
        resolved.word
    }

    fn simple(&mut self, simple: &ast::SimpleCommand, piped: bool) {
        // The command is recorded before the commands inside its substitutions, so the first
        // command found is the one the user sees first.
        let slot = self.out.commands.len();
        self.out.commands.push(SimpleCommand::default());
        let mut parts = Parts::default();
        for item in simple.prefix.iter().flat_map(|prefix| prefix.0.iter()) {
            self.item(item, &mut parts);
        }
        if let Some(name) = &simple.word_or_name {
            let name = self.word(&name.value);
            parts.words.push(name);
        }
        for item in simple.suffix.iter().flat_map(|suffix| suffix.0.iter()) {
            self.item(item, &mut parts);
        }
        let files = self.redirections(parts.redirects);
        let command = self.finish(parts.words, files, &parts.assignments, piped);
        if command.words.is_empty() && command.writes.is_empty() && command.reads.is_empty() {
            // Only variable assignments: nothing runs (dangerous names were reported above).
            self.out.commands.remove(slot);
        } else {
            self.out.commands[slot] = command;
        }
    }

    fn item<'a>(&mut self, item: &'a CommandPrefixOrSuffixItem, parts: &mut Parts<'a>) {
        match item {
            CommandPrefixOrSuffixItem::IoRedirect(redirect) => parts.redirects.push(redirect),
            CommandPrefixOrSuffixItem::Word(word) => {
                let word = self.word(&word.value);
                parts.words.push(word);
            }
            // After the command name (`export X=1`) an assignment is an argument like any other.
            CommandPrefixOrSuffixItem::AssignmentWord(_, word) if !parts.words.is_empty() => {
                let word = self.word(&word.value);
                parts.words.push(word);
            }
            CommandPrefixOrSuffixItem::AssignmentWord(assignment, _) => {
                let name = match &assignment.name {
                    ast::AssignmentName::VariableName(name) => name,
                    ast::AssignmentName::ArrayElementName(name, index) => {
                        self.arithmetic(index);
                        name
                    }
                };
                parts.assignments.push(name.clone());
                match &assignment.value {
                    ast::AssignmentValue::Scalar(value) => {
                        self.word(&value.value);
                    }
                    ast::AssignmentValue::Array(elements) => {
                        for (key, value) in elements {
                            if let Some(key) = key {
                                self.word(&key.value);
                            }
                            self.word(&value.value);
                        }
                    }
                }
            }
            CommandPrefixOrSuffixItem::ProcessSubstitution(_, subshell) => {
                self.nested(|walker| walker.compound_list(&subshell.list));
            }
        }
    }

    /// Strips wrappers, reports what cannot be judged, and builds the command.
    fn finish(
        &mut self,
        words: Vec<ShellWord>,
        files: Redirections,
        assignments: &[String],
        piped: bool,
    ) -> SimpleCommand {
        let mut command = SimpleCommand { words, writes: files.writes, reads: files.reads };
        let shown = command.to_string();
        let unwrapped = wrappers::strip(&command.words);
        if let Some(problem) = unwrapped.problem {
            self.unjudgeable(shown.clone(), problem);
        }
        let declared = declared_variables(&command.words[unwrapped.start..]);
        for name in assignments.iter().chain(&unwrapped.assignments).chain(&declared) {
            if is_dangerous_variable(name) {
                self.unjudgeable(
                    shown.clone(),
                    format!("setting `{name}` changes what commands run or how"),
                );
            }
        }
        command.writes.extend(unwrapped.writes);
        command.words.drain(..unwrapped.start);
        if let Some(finding) = opaque::inspect(&command.words, piped) {
            self.unjudgeable(shown, finding.reason);
            for script in &finding.scripts {
                self.nested(|walker| walker.script(script, script));
            }
            for inner in finding.commands {
                self.nested(|walker| {
                    let inner = walker.finish(inner, Redirections::default(), &[], false);
                    walker.out.commands.push(inner);
                });
            }
        }
        command
    }
}

/// The pieces of one simple command, gathered before it is finished.
#[derive(Default)]
struct Parts<'a> {
    words: Vec<ShellWord>,
    redirects: Vec<&'a IoRedirect>,
    assignments: Vec<String>,
}

/// The deepest nesting of `(` and `{` in `script`, counted without regard to quotes: an
/// over-estimate, which only ever makes a command line "too deep" sooner.
fn bracket_depth(script: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in script.chars() {
        match c {
            '(' | '{' => depth += 1,
            ')' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    deepest
}
