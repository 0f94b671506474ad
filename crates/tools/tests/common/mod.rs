//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::panic)]

use rein_tools::{ToolContext, ToolOutput, ToolRegistry, builtin_tools};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A temporary workspace and a context rooted in it.
pub struct Ws {
    pub dir: tempfile::TempDir,
    pub ctx: ToolContext,
}

impl Ws {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ctx = ToolContext::new(dir.path().to_path_buf());
        Self { dir, ctx }
    }

    /// Canonical workspace root.
    pub fn root(&self) -> PathBuf {
        self.ctx.workspace().to_path_buf()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn put(&self, rel: &str, content: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    pub fn get(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub async fn call(&self, tool: &str, input: Value) -> ToolOutput {
        call(&self.ctx, tool, input).await
    }
}

pub fn registry() -> &'static ToolRegistry {
    static REG: OnceLock<ToolRegistry> = OnceLock::new();
    REG.get_or_init(builtin_tools)
}

pub async fn call(ctx: &ToolContext, tool: &str, input: Value) -> ToolOutput {
    let tool = registry().get(tool).unwrap_or_else(|| panic!("no tool {tool}"));
    tool.run(input, ctx).await
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
