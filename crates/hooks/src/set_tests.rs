use super::*;
use pretty_assertions::assert_eq;
use serde_json::json;
use std::fs;

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn tool(name: &str) -> EventInput {
    EventInput::PreToolUse {
        tool: ToolUse { name: name.into(), input: json!({}), id: "t1".into() },
    }
}

fn commands(set: &HookSet, input: &EventInput) -> Vec<String> {
    set.matching(input).iter().map(|h| h.command.clone()).collect()
}

#[test]
fn claude_json_and_rein_toml_have_the_same_shape() {
    let mut set = HookSet::default();
    let json = r#"{"permissions": {"allow": []}, "hooks": {"PreToolUse": [
        {"matcher": "Bash|Edit", "hooks": [{"type": "command", "command": "./a.sh", "timeout": 30}]}
    ]}}"#;
    assert!(set.add_file(Path::new("/p/.claude/settings.json"), json).is_empty());
    let toml = "model = \"x\"\n[[hooks.PreToolUse]]\nmatcher = \"bash\"\n\
                hooks = [{ type = \"command\", command = \"./b.sh\", timeout = 10 }]\n\
                [[hooks.Stop]]\nhooks = [{ type = \"command\", command = \"./stop.sh\" }]\n";
    assert!(set.add_file(Path::new("/p/.rein/config.toml"), toml).is_empty());
    assert_eq!(commands(&set, &tool("bash")), ["./a.sh", "./b.sh"]);
    assert_eq!(commands(&set, &tool("edit")), ["./a.sh"]);
    assert!(commands(&set, &tool("read")).is_empty());
    let timeouts: Vec<u64> = set.hooks.iter().map(|h| h.timeout.as_secs()).collect();
    assert_eq!(timeouts, [30, 10, 60]);
    assert!(set.has(HookEvent::Stop) && !set.has(HookEvent::PostToolUse));
}

#[test]
fn files_without_hooks_add_nothing() {
    let mut set = HookSet::default();
    assert!(set.add_file(Path::new("settings.json"), r#"{"model": "x"}"#).is_empty());
    assert!(set.add_file(Path::new("config.toml"), "max_turns = 3\n").is_empty());
    assert!(set.is_empty());
}

#[test]
fn broken_parts_are_skipped_with_warnings() {
    let mut set = HookSet::default();
    let errors = set.add_file(Path::new("bad.json"), "{ not json");
    assert!(matches!(errors[..], [HookError::Syntax { .. }]), "{errors:?}");
    let errors = set.add_file(Path::new("bad.toml"), "[[hooks.Stop]\n");
    assert!(matches!(errors[..], [HookError::Syntax { .. }]), "{errors:?}");
    let errors = set.add_file(Path::new("shape.json"), r#"{"hooks": {"Stop": "./x.sh"}}"#);
    assert!(matches!(errors[..], [HookError::Shape { .. }]), "{errors:?}");
    let mixed = r#"{"hooks": {
        "PreToolUse": [
            {"matcher": "Bash(", "hooks": [{"type": "command", "command": "./bad-regex.sh"}]},
            {"matcher": "Bash", "hooks": [
                {"type": "prompt", "prompt": "is this safe?"},
                {"type": "command"},
                {"type": "command", "command": "./x.sh", "timeout": -1},
                {"type": "command", "command": "./ok.sh"}
            ]}
        ],
        "BeforeTool": [{"hooks": [{"type": "command", "command": "./typo.sh"}]}]
    }}"#;
    let errors = set.add_file(Path::new("mixed.json"), mixed);
    let texts: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 5, "{texts:#?}");
    assert!(texts[0].contains("unknown hook event `BeforeTool`"), "{texts:#?}");
    assert!(texts[1].contains("invalid matcher `Bash(`"), "{texts:#?}");
    assert!(texts[2].contains("type `prompt` is not supported"), "{texts:#?}");
    assert!(texts[3].contains("has no `command`"), "{texts:#?}");
    assert!(texts[4].contains("positive number of seconds"), "{texts:#?}");
    // Only the broken parts are skipped.
    assert_eq!(commands(&set, &tool("bash")), ["./ok.sh"]);
}

#[test]
fn a_bad_hook_entry_names_its_problem() {
    let path = Path::new("s.json");
    let entry = |text: &str| serde_json::from_str::<HookEntry>(text).unwrap();
    let no_command = command_of(path, HookEvent::Stop, entry(r#"{"type": "command"}"#));
    assert!(no_command.unwrap_err().to_string().contains("has no `command`"));
    let negative = command_of(
        path,
        HookEvent::Stop,
        entry(r#"{"type": "command", "command": "x", "timeout": 0}"#),
    );
    assert!(negative.unwrap_err().to_string().contains("positive number of seconds"));
    let fractional = command_of(
        path,
        HookEvent::Stop,
        entry(r#"{"type": "command", "command": "x", "timeout": 1.5}"#),
    );
    assert_eq!(fractional.unwrap().1, Duration::from_millis(1500));
}

#[test]
fn every_source_is_merged_lowest_first_and_missing_files_are_fine() {
    let home = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let json = |command: &str| {
        json!({"hooks": {"UserPromptSubmit": [{"hooks": [{"type": "command", "command": command}]}]}})
            .to_string()
    };
    let toml = |command: &str| {
        format!(
            "[[hooks.UserPromptSubmit]]\nhooks = [{{ type = \"command\", command = \"{command}\" }}]\n"
        )
    };
    write(&home.path().join(".claude/settings.json"), &json("user-claude"));
    write(&config.path().join("config.toml"), &toml("user-rein"));
    write(&project.path().join(".claude/settings.json"), &json("project-claude"));
    write(&project.path().join(".rein/config.toml"), &toml("project-rein"));
    write(&project.path().join(".claude/settings.local.json"), &json("local-claude"));
    write(&project.path().join(".rein/config.local.toml"), &toml("user-claude"));
    let sources = HookSources {
        home: Some(home.path().to_path_buf()),
        config_dir: Some(config.path().to_path_buf()),
        project_root: project.path().to_path_buf(),
    };
    let (set, warnings) = HookSet::load(&sources);
    assert!(warnings.is_empty(), "{warnings:?}");
    let prompt = EventInput::UserPromptSubmit { prompt: "hi".into() };
    // The last file repeats the first command: identical commands run once.
    assert_eq!(
        commands(&set, &prompt),
        ["user-claude", "user-rein", "project-claude", "project-rein", "local-claude"]
    );
    assert_eq!(set.project_root(), project.path());

    let (empty, warnings) = HookSet::load(&HookSources {
        home: None,
        config_dir: None,
        project_root: project.path().join("nowhere"),
    });
    assert!(empty.is_empty() && warnings.is_empty());
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_the_others_still_load() {
    let project = tempfile::tempdir().unwrap();
    write(&project.path().join(".claude/settings.json"), "{\"hooks\": ");
    write(
        &project.path().join(".rein/config.toml"),
        "[[hooks.Stop]]\nhooks = [{ type = \"command\", command = \"./stop.sh\" }]\n",
    );
    let sources = HookSources { project_root: project.path().to_path_buf(), ..Default::default() };
    let (set, warnings) = HookSet::load(&sources);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains(".claude/settings.json") && warnings[0].contains("skipped"));
    assert!(set.has(HookEvent::Stop));
}

#[test]
fn matchers_apply_to_each_events_subject() {
    let mut set = HookSet::default();
    let text = r#"{"hooks": {
        "SessionStart": [{"matcher": "resume", "hooks": [{"type": "command", "command": "resumed"}]}],
        "PreCompact": [{"matcher": "manual", "hooks": [{"type": "command", "command": "by-hand"}]}],
        "Notification": [{"matcher": "permission_prompt", "hooks": [{"type": "command", "command": "ping"}]}],
        "Stop": [{"matcher": "ignored", "hooks": [{"type": "command", "command": "stop"}]}]
    }}"#;
    assert!(set.add_file(Path::new("s.json"), text).is_empty());
    let start = |source| EventInput::SessionStart { source };
    assert_eq!(commands(&set, &start(SessionStartSource::Resume)), ["resumed"]);
    assert!(commands(&set, &start(SessionStartSource::Startup)).is_empty());
    let compact = |trigger| EventInput::PreCompact { trigger, custom_instructions: String::new() };
    assert_eq!(commands(&set, &compact(CompactTrigger::Manual)), ["by-hand"]);
    assert!(commands(&set, &compact(CompactTrigger::Auto)).is_empty());
    let note = |kind: &str| EventInput::Notification {
        message: "m".into(),
        notification_type: kind.into(),
    };
    assert_eq!(commands(&set, &note("permission_prompt")), ["ping"]);
    assert!(commands(&set, &note("idle_prompt")).is_empty());
    assert_eq!(commands(&set, &EventInput::Stop { stop_hook_active: false }), ["stop"]);
}

#[test]
fn the_input_document_has_claude_codes_fields() {
    let context = HookContext {
        session_id: "s1".into(),
        transcript_path: "/t/s1.jsonl".into(),
        cwd: "/p".into(),
        permission_mode: "default".into(),
    };
    let tool = ToolUse { name: "write".into(), input: json!({"path": "a.txt"}), id: "t9".into() };
    let post = EventInput::PostToolUse { tool, output: "wrote 1 line".into() };
    assert_eq!(
        post.to_json(&context),
        json!({
            "session_id": "s1",
            "transcript_path": "/t/s1.jsonl",
            "cwd": "/p",
            "permission_mode": "default",
            "hook_event_name": "PostToolUse",
            "tool_name": "Write",
            "tool_input": {"path": "a.txt", "file_path": "a.txt"},
            "tool_use_id": "t9",
            "tool_response": {"output": "wrote 1 line", "filePath": "a.txt"}
        })
    );
    let compact = EventInput::PreCompact {
        trigger: CompactTrigger::Auto,
        custom_instructions: "keep the API".into(),
    };
    let value = compact.to_json(&context);
    assert_eq!(value["trigger"], "auto");
    assert_eq!(value["custom_instructions"], "keep the API");
    let end = EventInput::SessionEnd { reason: SessionEndReason::PromptInputExit };
    assert_eq!(end.to_json(&context)["reason"], "prompt_input_exit");
    let stop = EventInput::SubagentStop { stop_hook_active: true };
    assert_eq!(stop.to_json(&context)["hook_event_name"], "SubagentStop");
    assert_eq!(stop.to_json(&context)["stop_hook_active"], true);
}
