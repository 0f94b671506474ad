use super::*;
use pretty_assertions::assert_eq;
use std::fs;

struct Tree {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Tree {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        Self { _dir: dir, root }
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    fn sources(&self, cwd: &str) -> InstructionSources {
        InstructionSources {
            user_config_dir: Some(self.root.join("config")),
            home: Some(self.root.join("home")),
            project_root: self.root.join("repo"),
            cwd: self.root.join("repo").join(cwd),
        }
    }
}

fn names(instructions: &Instructions, tree: &Tree) -> Vec<String> {
    instructions
        .files
        .iter()
        .map(|f| f.path.strip_prefix(&tree.root).unwrap().display().to_string())
        .collect()
}

#[test]
fn loads_user_then_root_to_cwd_in_order() {
    let tree = Tree::new();
    tree.write("config/AGENTS.md", "user rules");
    tree.write("home/.claude/CLAUDE.md", "claude user rules");
    tree.write("repo/AGENTS.md", "root");
    tree.write("repo/CLAUDE.local.md", "mine");
    tree.write("repo/app/CLAUDE.md", "app");
    tree.write("repo/app/.claude/CLAUDE.md", "app hidden");
    tree.write("repo/app/web/AGENTS.md", "below cwd: not loaded up front");
    tree.write("elsewhere/AGENTS.md", "not on the chain");
    let loaded = Instructions::load(&tree.sources("app"));
    assert_eq!(
        names(&loaded, &tree),
        [
            "config/AGENTS.md",
            "home/.claude/CLAUDE.md",
            "repo/AGENTS.md",
            "repo/CLAUDE.local.md",
            "repo/app/CLAUDE.md",
            "repo/app/.claude/CLAUDE.md",
        ]
    );
    assert_eq!(loaded.files[0].origin, InstructionOrigin::User);
    assert_eq!(loaded.files[2].origin, InstructionOrigin::Project);
    assert!(loaded.warnings.is_empty());
    let rendered = loaded.render().unwrap();
    assert!(rendered.starts_with("<instructions>\n"));
    assert!(
        rendered.contains(&format!("# {}\nroot\n", tree.root.join("repo/AGENTS.md").display()))
    );
}

#[test]
fn a_symlinked_claude_md_counts_once() {
    let tree = Tree::new();
    let agents = tree.write("repo/AGENTS.md", "shared");
    std::os::unix::fs::symlink(&agents, tree.root.join("repo/CLAUDE.md")).unwrap();
    let loaded = Instructions::load(&tree.sources(""));
    assert_eq!(names(&loaded, &tree), ["repo/AGENTS.md"]);
}

#[test]
fn imports_expand_relative_home_and_nested_but_not_in_code() {
    let tree = Tree::new();
    tree.write("repo/AGENTS.md", "See @docs/style.md and @~/prefs.md.\n`@not/this.md`\n```\n@nor/this.md\n```\nmail me@example.com");
    tree.write("repo/docs/style.md", "style, see @deeper.md");
    tree.write("repo/docs/deeper.md", "deeper");
    tree.write("home/prefs.md", "prefs");
    let loaded = Instructions::load(&tree.sources(""));
    assert_eq!(
        names(&loaded, &tree),
        ["repo/AGENTS.md", "repo/docs/style.md", "repo/docs/deeper.md", "home/prefs.md"]
    );
    assert_eq!(
        loaded.files[2].origin,
        InstructionOrigin::Import { from: tree.root.join("repo/docs/style.md") }
    );
    // example.com has a dot but "me@example.com" does not start with @.
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn import_cycles_and_depth_are_bounded_and_missing_imports_warn() {
    let tree = Tree::new();
    tree.write("repo/AGENTS.md", "@a.md @missing.md");
    tree.write("repo/a.md", "@b.md");
    tree.write("repo/b.md", "@AGENTS.md @c.md");
    tree.write("repo/c.md", "@d.md");
    tree.write("repo/d.md", "@e.md");
    tree.write("repo/e.md", "@f.md");
    tree.write("repo/f.md", "too deep");
    let loaded = Instructions::load(&tree.sources(""));
    assert_eq!(
        names(&loaded, &tree),
        ["repo/AGENTS.md", "repo/a.md", "repo/b.md", "repo/c.md", "repo/d.md", "repo/e.md"]
    );
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
    assert!(loaded.warnings[0].contains("imports nest more than 5 deep"));
    assert!(loaded.warnings[1].contains("missing.md: imported file not found"));
}

#[test]
fn huge_files_are_cut_with_a_warning() {
    let tree = Tree::new();
    tree.write("repo/AGENTS.md", &"é".repeat(MAX_FILE_BYTES));
    let loaded = Instructions::load(&tree.sources(""));
    assert!(loaded.files[0].content.len() <= MAX_FILE_BYTES);
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
}

#[test]
fn nested_files_load_once_when_the_agent_goes_there() {
    let tree = Tree::new();
    tree.write("repo/AGENTS.md", "root");
    tree.write("repo/web/AGENTS.md", "web rules");
    tree.write("repo/web/src/CLAUDE.md", "web src rules");
    tree.write("repo/web/src/app.ts", "");
    tree.write("repo/api/main.go", "");
    let sources = tree.sources("");
    let initial = Instructions::load(&sources);
    let mut nested = NestedInstructions::new(sources.cwd.clone(), sources.home, &initial.files);
    let first = nested.for_path(&tree.root.join("repo/web/src/app.ts"));
    let got: Vec<&str> = first.iter().map(|f| f.content.as_str()).collect();
    assert_eq!(got, ["web rules", "web src rules"]);
    assert_eq!(first[0].origin, InstructionOrigin::Nested);
    assert!(nested.for_path(&tree.root.join("repo/web/src/app.ts")).is_empty());
    assert!(nested.for_path(&tree.root.join("repo/api/main.go")).is_empty());
    assert!(nested.for_path(&tree.root.join("repo/AGENTS.md")).is_empty());
    assert!(nested.for_path(Path::new("/etc/hosts")).is_empty());
    tree.write("outside/AGENTS.md", "outside");
    assert!(nested.for_path(&tree.root.join("repo/api/../../outside/AGENTS.md")).is_empty());
}
