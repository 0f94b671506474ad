//! The set of tools offered to the model.

use crate::tool::Tool;
use rein_protocol::ToolSpec;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Names of tools from MCP servers start with this (`mcp__server__tool`).
pub const MCP_PREFIX: &str = "mcp__";

/// Tools by name. Specs are computed once at registration, so [`specs`](Self::specs) is cheap
/// and always identical for the same set of tools (sorted by name, deterministic JSON).
#[derive(Clone, Default)]
pub struct ToolRegistry {
    tools: BTreeMap<String, Entry>,
}

#[derive(Clone)]
struct Entry {
    tool: Arc<dyn Tool>,
    spec: ToolSpec,
}

impl ToolRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `tool`, replacing (and returning) a tool of the same name.
    pub fn register(&mut self, tool: Arc<dyn Tool>) -> Option<Arc<dyn Tool>> {
        let spec = ToolSpec {
            name: tool.name().to_owned(),
            description: tool.description().to_owned(),
            input_schema: tool.input_schema(),
        };
        self.tools.insert(spec.name.clone(), Entry { tool, spec }).map(|old| old.tool)
    }

    /// Removes the tool called `name`.
    pub fn remove(&mut self, name: &str) -> Option<Arc<dyn Tool>> {
        self.tools.remove(name).map(|e| e.tool)
    }

    /// Keeps only the tools whose name satisfies `keep` (e.g. a subagent's allow-list).
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.tools.retain(|name, _| keep(name));
    }

    /// The tool called `name`.
    pub fn get(&self, name: &str) -> Option<Arc<dyn Tool>> {
        self.tools.get(name).map(|e| Arc::clone(&e.tool))
    }

    /// Specs of every tool: built-in tools sorted by name, then MCP tools (`mcp__…`) sorted by
    /// name, so connecting a server never moves the built-ins in the cached prefix.
    pub fn specs(&self) -> Vec<ToolSpec> {
        let (mcp, builtin): (Vec<&Entry>, Vec<&Entry>) =
            self.tools.values().partition(|e| e.spec.name.starts_with(MCP_PREFIX));
        builtin.into_iter().chain(mcp).map(|e| e.spec.clone()).collect()
    }

    /// Names of every tool, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.tools.keys().map(String::as_str).collect()
    }

    /// Number of tools.
    pub fn len(&self) -> usize {
        self.tools.len()
    }

    /// Whether there are no tools.
    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
    }
}

impl fmt::Debug for ToolRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.tools.keys()).finish()
    }
}

/// A registry holding every built-in tool: read, write, edit, multi_edit, glob, grep, list,
/// bash, bash_output, bash_kill, web_fetch, todo, ask_user.
pub fn builtin_tools() -> ToolRegistry {
    use crate::*;
    let tools: [Arc<dyn Tool>; 13] = [
        Arc::new(ReadTool),
        Arc::new(WriteTool),
        Arc::new(EditTool),
        Arc::new(MultiEditTool),
        Arc::new(GlobTool),
        Arc::new(GrepTool),
        Arc::new(ListTool),
        Arc::new(BashTool),
        Arc::new(BashOutputTool),
        Arc::new(BashKillTool),
        Arc::new(WebFetchTool),
        Arc::new(TodoTool),
        Arc::new(AskUserTool),
    ];
    let mut registry = ToolRegistry::new();
    for tool in tools {
        registry.register(tool);
    }
    registry
}
