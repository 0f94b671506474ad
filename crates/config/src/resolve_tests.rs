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
