//! `rein context`: what a new session here would start with, and what each part costs.

use crate::setup;
use rein_context::{InstructionOrigin, InstructionSources, Instructions};
use serde_json::json;
use std::io::Write;

/// A rough count: about four bytes of English or code per token.
fn tokens(bytes: usize) -> usize {
    bytes.div_ceil(4)
}

pub(super) fn run(json_output: bool, args: &crate::args::RunArgs) -> anyhow::Result<u8> {
    let config = setup::load_config(args)?;
    let instructions = Instructions::load(&InstructionSources {
        user_config_dir: Some(config.paths.config_dir.clone()),
        home: config.paths.home.clone(),
        project_root: config.project_root.clone(),
        cwd: config.cwd.clone(),
    });
    let extensions = crate::extensions::Extensions::load(&config);
    let names = |items: Vec<&str>| items.join(", ");
    let agents = names(extensions.agents.iter().map(|a| a.name.as_str()).collect());
    let skills = names(extensions.skills.iter().map(|s| s.name.as_str()).collect());
    let commands = names(extensions.commands.iter().map(|c| c.name.as_str()).collect());
    let tools = rein_tools::builtin_tools().specs();
    let tools_bytes = serde_json::to_string(&tools)?.len();
    let parts = [
        ("system prompt", rein_core::SYSTEM_PROMPT.len()),
        ("tool definitions", tools_bytes),
        ("instruction files", instructions.total_bytes()),
    ];
    let mut out = std::io::stdout().lock();
    if json_output {
        let files: Vec<_> = instructions
            .files
            .iter()
            .map(|f| {
                let (origin, from) = describe(&f.origin);
                json!({
                    "path": f.path,
                    "origin": origin,
                    "imported_from": from,
                    "bytes": f.content.len(),
                    "tokens": tokens(f.content.len()),
                })
            })
            .collect();
        let parts: Vec<_> = parts
            .iter()
            .map(|(name, bytes)| json!({"part": name, "bytes": bytes, "tokens": tokens(*bytes)}))
            .collect();
        let report = json!({
            "project_root": config.project_root,
            "cwd": config.cwd,
            "parts": parts,
            "instruction_files": files,
            "agents": extensions.agents.iter().map(|a| &a.name).collect::<Vec<_>>(),
            "skills": extensions.skills.iter().map(|s| &s.name).collect::<Vec<_>>(),
            "commands": extensions.commands.iter().map(|c| &c.name).collect::<Vec<_>>(),
            "warnings": instructions.warnings.iter().chain(&extensions.warnings).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(crate::exit::SUCCESS);
    }
    writeln!(out, "A new session in {} starts with:", config.cwd.display())?;
    for (name, bytes) in parts {
        writeln!(out, "  {name:<18} {:>8} bytes  ~{:>6} tokens", bytes, tokens(bytes))?;
    }
    writeln!(out)?;
    if instructions.is_empty() {
        writeln!(
            out,
            "No instruction files. rein reads AGENTS.md, CLAUDE.md, .claude/CLAUDE.md and \
             CLAUDE.local.md from the repository root down to here, and {} and ~/.claude/CLAUDE.md.",
            config.paths.config_dir.join("AGENTS.md").display()
        )?;
    } else {
        writeln!(out, "Instruction files, in load order:")?;
        for file in &instructions.files {
            let (origin, from) = describe(&file.origin);
            let from = from.map(|f| format!(" (imported by {f})")).unwrap_or_default();
            writeln!(
                out,
                "  {origin:<8} {}  {} bytes  ~{} tokens{from}",
                file.path.display(),
                file.content.len(),
                tokens(file.content.len())
            )?;
        }
    }
    writeln!(out)?;
    let none = |list: String| if list.is_empty() { "none".to_owned() } else { list };
    writeln!(out, "Subagent types (besides general, explore, plan, verify): {}", none(agents))?;
    writeln!(out, "Skills (names and descriptions listed, bodies load on use): {}", none(skills))?;
    writeln!(out, "Custom slash commands: {}", none(commands))?;
    for warning in instructions.warnings.iter().chain(&extensions.warnings) {
        writeln!(out, "warning: {warning}")?;
    }
    writeln!(
        out,
        "\nFiles in subdirectories load when the agent first works there. The embedded local \
         model gets a shorter prompt ({} bytes) and fewer tools.",
        rein_core::COMPACT_SYSTEM_PROMPT.len()
    )?;
    Ok(crate::exit::SUCCESS)
}

/// The origin's name, and the importing file for imports.
fn describe(origin: &InstructionOrigin) -> (&'static str, Option<String>) {
    match origin {
        InstructionOrigin::User => ("user", None),
        InstructionOrigin::Project => ("project", None),
        InstructionOrigin::Nested => ("nested", None),
        InstructionOrigin::Import { from } => ("import", Some(from.display().to_string())),
    }
}
