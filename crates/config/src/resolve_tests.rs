use super::*;
use crate::settings::ProviderChoice;
use pretty_assertions::assert_eq;

struct Fixture {
    home: tempfile::TempDir,
    repo: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir(repo.path().join(".git")).unwrap();
        Self { home: tempfile::tempdir().unwrap(), repo }
    }

    fn user(&self, text: &str) -> &Self {
        std::fs::write(self.home.path().join("config.toml"), text).unwrap();
        self
    }

    fn project(&self, text: &str) -> &Self {
        std::fs::create_dir_all(self.repo.path().join(".rein")).unwrap();
        std::fs::write(self.repo.path().join(".rein/config.toml"), text).unwrap();
        self
    }

    fn load(&self, env: &[(&str, &str)], cli: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut pairs = vec![("REIN_HOME", self.home.path().to_str().unwrap())];
        pairs.extend_from_slice(env);
        let sub = self.repo.path().join("src");
        std::fs::create_dir_all(&sub).unwrap();
        Config::load(LoadOptions {
            cwd: sub,
            env: EnvSnapshot::from_pairs(pairs),
            cli: cli
                .iter()
                .map(|(k, v)| CliOverride {
                    key: k.to_string(),
                    value: v.to_string(),
                    flag: format!("--{k}"),
                })
                .collect(),
        })
    }
}

fn origin_of(config: &Config, key: &str) -> String {
    config.explain().into_iter().find(|r| r.key == key).unwrap().origin
}

#[test]
fn defaults_apply_without_files() {
    let config = Fixture::new().load(&[], &[]).unwrap();
    assert_eq!(config.settings.max_turns, 100);
    assert_eq!(config.settings.provider, ProviderChoice::Auto);
    assert_eq!(config.settings.model, None);
    assert_eq!(origin_of(&config, "max_turns"), "default");
}

#[test]
fn layers_override_in_order_and_record_origin() {
    let f = Fixture::new();
    f.user("model = \"user-model\"\nmax_turns = 5\n[openai]\nbase_url = \"http://u\"\n")
        .project("model = \"project-model\"\ntemperature = 1\n");
    let config =
        f.load(&[("REIN_MAX_TURNS", "7"), ("OPENAI_BASE_URL", "http://env")], &[]).unwrap();
    assert_eq!(config.settings.model.as_deref(), Some("project-model"));
    assert_eq!(config.settings.max_turns, 7);
    assert_eq!(config.settings.temperature, Some(1.0));
    assert_eq!(config.settings.openai_base_url, "http://env");
    assert!(origin_of(&config, "model").starts_with("project file"));
    assert_eq!(origin_of(&config, "max_turns"), "environment variable REIN_MAX_TURNS");

    let config =
        f.load(&[("REIN_MAX_TURNS", "7")], &[("max_turns", "3"), ("model", "cli")]).unwrap();
    assert_eq!(config.settings.max_turns, 3);
    assert_eq!(config.settings.model.as_deref(), Some("cli"));
    assert_eq!(origin_of(&config, "max_turns"), "command line --max_turns");
}

#[test]
fn project_root_is_the_git_ancestor() {
    let f = Fixture::new();
    let config = f.load(&[], &[]).unwrap();
    assert_eq!(config.project_root, f.repo.path());
}

#[test]
fn unknown_key_names_file_and_suggests() {
    let f = Fixture::new();
    f.user("max_turn = 3\n");
    let err = f.load(&[], &[]).unwrap_err().to_string();
    assert!(err.contains("unknown setting `max_turn`"), "{err}");
    assert!(err.contains("did you mean `max_turns`"), "{err}");
    assert!(err.contains("config.toml"), "{err}");
}

#[test]
fn wrong_types_are_clear_errors() {
    let f = Fixture::new();
    f.project("max_turns = \"many\"\n");
    let err = f.load(&[], &[]).unwrap_err().to_string();
    assert!(err.contains("`max_turns`") && err.contains("whole number"), "{err}");

    let f = Fixture::new();
    let err = f.load(&[("REIN_MAX_TURNS", "lots")], &[]).unwrap_err().to_string();
    assert!(err.contains("REIN_MAX_TURNS") && err.contains("\"lots\""), "{err}");

    let err = f.load(&[], &[("provider", "gemini")]).unwrap_err().to_string();
    assert!(err.contains("auto, anthropic, openai or local"), "{err}");
}

#[test]
fn broken_toml_names_the_file_and_line() {
    let f = Fixture::new();
    f.user("model = \n");
    let err = f.load(&[], &[]).unwrap_err().to_string();
    assert!(err.contains("not valid TOML") && err.contains("line 1"), "{err}");
}

#[test]
fn secrets_are_not_settings() {
    let f = Fixture::new();
    let config = f.load(&[("ANTHROPIC_API_KEY", "sk-secret")], &[]).unwrap();
    assert!(config.explain().iter().all(|r| !r.value.contains("sk-secret")));
    assert_eq!(config.env.get("ANTHROPIC_API_KEY"), Some("sk-secret"));
}

impl Fixture {
    fn file(&self, relative: &str, text: &str) -> &Self {
        let path = self.repo.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }
}

#[test]
fn the_local_file_overrides_the_project_file_and_the_environment_overrides_both() {
    let fixture = Fixture::new();
    fixture
        .project("max_turns = 10\nmodel = \"p\"")
        .file(".rein/config.local.toml", "max_turns = 20");
    let config = fixture.load(&[], &[]).unwrap();
    assert_eq!(config.settings.max_turns, 20);
    assert_eq!(config.settings.model.as_deref(), Some("p"));
    assert!(
        origin_of(&config, "max_turns").starts_with("local file "),
        "{}",
        origin_of(&config, "max_turns")
    );
    let config = fixture.load(&[("REIN_MAX_TURNS", "30")], &[]).unwrap();
    assert_eq!(config.settings.max_turns, 30);
}

#[test]
fn permission_rules_add_up_across_layers_and_claude_settings_count() {
    let fixture = Fixture::new();
    fixture.user("[permissions]\ndeny = [\"bash(curl *)\"]");
    fixture.project("[permissions]\ndeny = [\"bash(wget *)\"]\nallow = [\"bash(cargo test *)\"]");
    fixture.file(
        ".claude/settings.json",
        r#"{"permissions": {"allow": ["Bash(npm run lint)"], "deny": ["Read(./.env)"], "defaultMode": "plan"},
            "hooks": {"PreToolUse": []}}"#,
    );
    let config = fixture.load(&[], &[]).unwrap();
    let lists = &config.settings.permissions;
    assert_eq!(lists.deny, ["bash(curl *)", "Read(./.env)", "bash(wget *)"]);
    assert_eq!(lists.allow, ["Bash(npm run lint)", "bash(cargo test *)"]);
    assert_eq!(config.settings.permission_mode, rein_permissions::PermissionMode::Plan);
    let origin = origin_of(&config, "permissions.deny");
    assert!(origin.contains("user file") && origin.contains(" + project file"), "{origin}");
}

#[test]
fn hooks_tables_are_left_to_the_hooks_reader_and_a_broken_claude_file_is_an_error() {
    let fixture = Fixture::new();
    fixture.project("[[hooks.PreToolUse]]\nmatcher = \"bash\"\nhooks = [{ type = \"command\", command = \"true\" }]");
    assert!(fixture.load(&[], &[]).is_ok());
    fixture.file(".claude/settings.local.json", "{ not json");
    let err = fixture.load(&[], &[]).unwrap_err().to_string();
    assert!(err.contains("settings.local.json"), "{err}");
}

#[test]
fn mcp_server_tables_are_left_to_the_mcp_reader_and_mcp_can_be_switched_off() {
    let fixture = Fixture::new();
    fixture.project("[mcp]\nenabled = true\n[mcp_servers.github]\ncommand = \"npx\"\nargs = [\"-y\", \"x\"]\nenv = { TOKEN = \"${T}\" }");
    let config = fixture.load(&[], &[]).unwrap();
    assert!(config.settings.mcp.enabled);
    let config = fixture.load(&[("REIN_MCP", "false")], &[]).unwrap();
    assert!(!config.settings.mcp.enabled);
}

#[test]
fn sandbox_settings_default_to_on_without_network() {
    let fixture = Fixture::new();
    let config = fixture.load(&[], &[]).unwrap();
    assert!(config.settings.sandbox.enabled);
    assert!(!config.settings.sandbox.network);
    assert_eq!(config.settings.permission_mode, rein_permissions::PermissionMode::AcceptEdits);
    fixture.project("[sandbox]\nnetwork = true\nwritable = [\"/opt/cache\"]");
    let config = fixture.load(&[("REIN_SANDBOX", "false")], &[]).unwrap();
    assert!(!config.settings.sandbox.enabled && config.settings.sandbox.network);
    assert_eq!(config.settings.sandbox.writable, [std::path::PathBuf::from("/opt/cache")]);
}
