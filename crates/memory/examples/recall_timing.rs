//! Times what memory costs a session: loading the indexes and standing preferences at the
//! start, and recalling topics for a prompt, over a folder of synthetic memories. Used by
//! `bench/memory.py`; prints one JSON object.
//!
//! Usage: recall_timing [TOPICS] [PROMPTS]

#![allow(clippy::print_stdout, clippy::unwrap_used, reason = "a benchmark program")]

use rein_memory::{Author, Memory, MemoryDir, Source, TopicInput, TopicKind};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

const WORDS: &[&str] = &[
    "build",
    "test",
    "deploy",
    "schema",
    "migration",
    "parser",
    "cache",
    "token",
    "server",
    "client",
    "config",
    "release",
    "lint",
    "format",
    "docker",
    "queue",
    "worker",
    "auth",
    "session",
    "logging",
    "metrics",
    "index",
    "search",
    "upload",
    "payment",
    "invoice",
    "email",
    "retry",
    "timeout",
    "backup",
];

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let topics: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let prompts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let tmp = tempfile::tempdir().unwrap();
    let store = Arc::new(rein_store::Store::open(&tmp.path().join("data")).unwrap());
    let memory = Memory::new(
        MemoryDir::project(&tmp.path().join("repo")),
        MemoryDir::user(&tmp.path().join("config")),
        Some(store.clone()),
    );
    let author = Author::user("seed");
    for i in 0..topics {
        let a = WORDS[i % WORDS.len()];
        let b = WORDS[(i * 7 + 3) % WORDS.len()];
        let kind = if i % 10 == 0 { TopicKind::Feedback } else { TopicKind::Project };
        let body: String =
            (0..40).map(|j| format!("{} ", WORDS[(i + j * 3) % WORDS.len()])).collect();
        let input = TopicInput {
            name: format!("{a}-{b}-{i}"),
            description: format!("how {a} and {b} work here (note {i})"),
            kind,
            body,
            scope: None,
        };
        memory.save(input, &[], Source::default(), &author, None).unwrap();
    }
    // Each session is a new process: a fresh handle, nothing parsed yet.
    let mut starts = Vec::new();
    for _ in 0..30 {
        let fresh = Memory::new(
            memory.dir(rein_memory::Scope::Project).clone(),
            memory.dir(rein_memory::Scope::User).clone(),
            Some(store.clone()),
        );
        let t = Instant::now();
        let context = fresh.session_context();
        starts.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(context);
    }
    let loaded = memory.session_context().loaded;
    let mut recalls = Vec::new();
    let mut hits = 0;
    for p in 0..prompts {
        let prompt = format!(
            "please fix the {} bug in the {} code and run the tests",
            WORDS[p % WORDS.len()],
            WORDS[(p * 11 + 5) % WORDS.len()]
        );
        let seen: HashSet<String> = loaded.clone();
        let t = Instant::now();
        let found = memory.recall(&prompt, &seen, 3);
        recalls.push(t.elapsed().as_secs_f64() * 1e3);
        hits += found.len();
    }
    println!(
        "{{\"topics\": {topics}, \"prompts\": {prompts}, \"session_start_ms\": {:.3}, \"recall_ms\": {:.3}, \"recall_max_ms\": {:.3}, \"recalled_per_prompt\": {:.2}}}",
        median(starts),
        median(recalls.clone()),
        recalls.iter().copied().fold(0.0, f64::max),
        hits as f64 / prompts as f64
    );
}
