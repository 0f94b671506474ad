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
