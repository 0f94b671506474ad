//! The embedded local model through the real binary. Needs the models that
//! `scripts/test.sh` installs; a missing model fails with the command that installs it.

use crate::harness::{env_for, models_dir};
use pretty_assertions::assert_eq;

fn require(file: &str) {
    let path = models_dir().join(file);
    assert!(
        path.exists(),
        "{} is missing: run `bash scripts/test.sh` (or `rein model install`) first",
        path.display()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_key_the_embedded_model_answers_and_says_so() {
    require("smollm2-135m-instruct-q4_1.gguf");
    let env = env_for("none", vec![]).await;
    let run = env
        .run(&[
            "-p",
            "Say hello.",
            "--output-format",
            "stream-json",
            "-C",
            "local.model=smollm2-135m",
            "-C",
            "local.max_new_tokens=24",
        ])
        .await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    assert!(
        run.stderr().contains("using the embedded local model smollm2-135m"),
        "{}",
        run.stderr()
    );
    let events = run.events();
    assert_eq!(events[0]["provider"], "local");
    assert_eq!(events[0]["model"], "smollm2-135m");
    let finished = events.last().unwrap();
    assert_eq!(finished["stop_reason"], "completed");
    assert!(finished["usage"]["output_tokens"].as_u64().unwrap() > 0);
    assert_eq!(finished["cost_usd"], 0.0);
    assert!(env.requests().is_empty(), "no hosted provider was called");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn model_list_reports_what_is_installed() {
    require("smollm2-135m-instruct-q4_1.gguf");
    let env = env_for("none", vec![]).await;
    let run = env.run(&["model", "list", "--json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let models: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let names: Vec<&str> =
        models.as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b", "smollm2-135m"]);
    let smol = models.as_array().unwrap().iter().find(|m| m["name"] == "smollm2-135m").unwrap();
    assert_eq!(smol["installed"], true);
    assert_eq!(models[0]["default"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_local_model_is_a_usage_error() {
    let env = env_for("none", vec![]).await;
    let run = env.run(&["-p", "hi", "-C", "local.model=gpt-7"]).await;
    assert_eq!(run.code(), 2, "stderr: {}", run.stderr());
    assert!(run.stderr().contains("unknown local model `gpt-7`"), "{}", run.stderr());
}

/// The README's main job on the default model: two files changed and the tests run, through
/// the block reply format. The model decodes greedily, so the run is repeatable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_model_completes_the_sample_task() {
    require("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf");
    let env = env_for("none", vec![]).await;
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/greeter");
    for file in ["greeter.py", "test_greeter.py"] {
        std::fs::copy(sample.join(file), env.path(file)).unwrap();
    }
    let task = "Add a function farewell(name) to greeter.py that returns \"Goodbye, NAME!\", \
                add a unit test for it in test_greeter.py, and run the tests.";
    let run = env.run(&["-p", task, "--output-format", "stream-json"]).await;
    assert_eq!(run.code(), 0, "stderr: {}", run.stderr());
    let events = run.events();
    let calls: Vec<&serde_json::Value> =
        events.iter().filter(|e| e["type"] == "tool_call_finished").collect();
    assert!(calls.iter().any(|c| c["name"] == "bash"), "the tests were not run: {events:?}");
    assert!(env.read("greeter.py").contains("def farewell("), "{}", env.read("greeter.py"));
    assert!(env.read("greeter.py").contains("def greet("), "greet was lost");
    assert!(env.read("test_greeter.py").contains("farewell("), "{}", env.read("test_greeter.py"));
    let tests = std::process::Command::new("python3")
        .args(["-m", "unittest", "-q"])
        .current_dir(env.path(""))
        .output()
        .unwrap();
    assert!(tests.status.success(), "{}", String::from_utf8_lossy(&tests.stderr));
}

/// Memory with the real local model: a session loads the memory and logs itself; a dream
/// runs within its budget and leaves memory whole (the small model may well change nothing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_and_a_dream_work_with_the_embedded_model() {
    require("smollm2-135m-instruct-q4_1.gguf");
    let env = env_for("none", vec![]).await;
    let memory = env.path(".rein/memory");
    std::fs::create_dir_all(&memory).unwrap();
    std::fs::write(
        memory.join("build.md"),
        "---\nname: build\ndescription: how to build\ntype: project\n---\nBuild with `make`.\n",
    )
    .unwrap();
    std::fs::write(memory.join("MEMORY.md"), "# Memory\n\n- [build](build.md) — how to build\n")
        .unwrap();
    // Two model calls at most: the small model tends to answer with commands and go on.
    let small =
        ["-C", "local.model=smollm2-135m", "-C", "local.max_new_tokens=16", "-C", "max_turns=2"];
    let run = env.run(&[&["-p", "How do I build this project?"][..], &small[..]].concat()).await;
    // Done, or stopped at the turn limit (exit code 3).
    assert!(matches!(run.code(), 0 | 3), "stderr: {}", run.stderr());
    let logs = crate::harness::find_files(
        &memory.join("logs"),
        &format!("{}.md", chrono::Local::now().format("%d")),
    );
    let log = std::fs::read_to_string(&logs[0]).unwrap();
    assert!(log.contains("- asked: How do I build this project?"), "{log}");

    let dream = env.run(&[&["dream", "--budget", "2500"][..], &small[..]].concat()).await;
    assert_eq!(dream.code(), 0, "stdout: {}\nstderr: {}", dream.stdout(), dream.stderr());
    let report = dream.stdout();
    assert!(report.contains("# Dream") && report.contains("of a 2500 budget"), "{report}");
    assert!(report.contains("- gather: 1 log entries"), "{report}");
    let index = std::fs::read_to_string(memory.join("MEMORY.md")).unwrap();
    assert!(index.lines().count() <= 200);
    // Whatever the model did, the memory before the dream is one revert away.
    let log = env.run(&["memory", "log", "--json"]).await;
    let revisions: serde_json::Value = serde_json::from_str(&log.stdout()).unwrap();
    assert!(
        revisions
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["reason"] == "memory found on disk (first seen by rein)")
    );
    assert!(env.requests().is_empty(), "no hosted provider was called");
}
