//! Measures a local model: load time, prefill and decode speed, second-turn time to first
//! token (KV cache reuse), decode speed under the tool-call grammar, and peak memory.
//!
//! ```sh
//! cargo run --release -p rein-local --example local_speed -- MODEL.gguf [--gen 128] [--threads N] [--no-grammar]
//! ```
//!
//! Prints one `key: value` line per figure, for scripts.

use futures::StreamExt;
use rein_local::{LocalOptions, LocalProvider, ToolChoice};
use rein_protocol::{
    ContentBlock, Message, ModelRequest, ProviderEvent, Role, SystemBlock, ToolSpec,
};
use rein_provider::Provider;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const PASSAGE: &str = "The council of Eastbrook met on Tuesday evening to decide what to do with the old \
textile mill on the river, which has stood empty for eleven years. Three plans were on the table. \
The first, put forward by a group of local builders, would turn the mill into two hundred \
apartments, a third of them offered below market rent to families who already live in the town. \
The builders argued that young people leave Eastbrook because they cannot afford to stay, and \
that the school has lost a classroom every year since the mill closed. The second plan came from \
the regional museum trust, which wants to restore the weaving hall and its machines, open a \
museum of the valley's industry, and rent the upper floors to small workshops. Its director said \
that visitors to the valley already stop at the mill to take photographs of the brick chimney, \
and that a museum would give them a reason to stay for lunch. The third plan, a compromise \
drafted by two councillors, splits the site: the weaving hall and chimney would be restored as a \
museum and meeting space, while the newer warehouse buildings behind them would be replaced by \
one hundred and twenty homes. Speakers from the public raised three concerns: traffic on the \
narrow bridge, the risk of flooding in the lower yard, and the cost of cleaning oil from the \
ground where the dye works once stood. An engineer hired by the council said the flood risk could \
be handled by raising the ground floor of any new building by a metre and a half, but that the \
clean-up would cost more than the builders had assumed, perhaps twice as much. The treasurer \
warned that the town cannot pay for the clean-up itself and that any plan must cover it. After \
three hours of debate the council voted eleven to seven for the compromise plan, on condition \
that the bridge is widened before the first residents move in and that a study of the river \
bank is finished by the spring. The builders said they would accept the vote; the museum trust \
said it was disappointed but would work with the council on the weaving hall.";

struct Args {
    model: PathBuf,
    new_tokens: u32,
    threads: Option<u32>,
    grammar: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut model = None;
    let (mut new_tokens, mut threads, mut grammar) = (128, None, true);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--gen" => {
                new_tokens =
                    args.next().and_then(|v| v.parse().ok()).ok_or("--gen needs a number")?
            }
            "--threads" => {
                threads = Some(
                    args.next().and_then(|v| v.parse().ok()).ok_or("--threads needs a number")?,
                )
            }
            "--no-grammar" => grammar = false,
            _ if model.is_none() => model = Some(PathBuf::from(arg)),
            other => return Err(format!("unexpected argument {other}")),
        }
    }
    let model =
        model.ok_or("usage: local_speed MODEL.gguf [--gen N] [--threads N] [--no-grammar]")?;
    Ok(Args { model, new_tokens, threads, grammar })
}

fn request(messages: Vec<Message>, tools: Vec<ToolSpec>, max_tokens: u32) -> ModelRequest {
    ModelRequest {
        model: "local".into(),
        system: vec![SystemBlock {
            text: "You are a careful writing assistant.".into(),
            cache: true,
        }],
        messages,
        tools,
        max_tokens,
        temperature: None,
        thinking_budget: None,
        cache_last_message: true,
    }
}

/// Timings of one streamed call.
struct Run {
    first: Option<Duration>,
    total: Duration,
    input: u64,
    reused: u64,
    output: u64,
    content: Vec<ContentBlock>,
}

async fn run(provider: &LocalProvider, request: &ModelRequest) -> Result<Run, String> {
    let started = Instant::now();
    let mut stream = provider.stream(request).await.map_err(|e| e.to_string())?;
    let mut first = None;
    while let Some(event) = stream.next().await {
        match event.map_err(|e| e.to_string())? {
            ProviderEvent::TextDelta { .. } | ProviderEvent::ToolUseStarted { .. } => {
                first.get_or_insert_with(|| started.elapsed());
            }
            ProviderEvent::Completed { response } => {
                return Ok(Run {
                    first,
                    total: started.elapsed(),
                    input: response.usage.input_tokens,
                    reused: response.usage.cache_read_tokens,
                    output: response.usage.output_tokens,
                    content: response.content,
                });
            }
            ProviderEvent::ThinkingDelta { .. } => {}
        }
    }
    Err("stream ended without a response".into())
}

/// Tokens per second after the first token, which is what decoding alone costs.
fn decode_rate(run: &Run) -> f64 {
    let first = run.first.unwrap_or(run.total);
    let secs = (run.total - first).as_secs_f64();
    if secs > 0.0 { run.output.saturating_sub(1) as f64 / secs } else { 0.0 }
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

async fn measure(args: Args) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    let mut say = |line: String| writeln!(out, "{line}").map_err(|e| e.to_string());
    let options = LocalOptions {
        threads: args.threads,
        max_new_tokens: args.new_tokens.max(256),
        ..LocalOptions::default()
    };
    let started = Instant::now();
    let provider = LocalProvider::load(&args.model, "bench", options).map_err(|e| e.to_string())?;
    say(format!("model: {}", args.model.display()))?;
    say(format!("load_s: {:.2}", started.elapsed().as_secs_f64()))?;

    let ask =
        format!("{PASSAGE}\n\nWrite a long, detailed essay about the meeting described above.");
    let mut messages = vec![Message::user_text(ask)];
    let first = run(&provider, &request(messages.clone(), vec![], args.new_tokens)).await?;
    let ttft = first.first.unwrap_or(first.total).as_secs_f64();
    say(format!("prompt_tokens: {}", first.input + first.reused))?;
    say(format!("prefill_tok_s: {:.1}", first.input as f64 / ttft))?;
    say(format!("decode_tok_s: {:.1}", decode_rate(&first)))?;
    say(format!("generated_tokens: {}", first.output))?;

    messages.push(Message { role: Role::Assistant, content: first.content });
    messages.push(Message::user_text("Now sum it up in one sentence."));
    let second = run(&provider, &request(messages, vec![], 32)).await?;
    say(format!("second_turn_ttft_s: {:.2}", second.first.unwrap_or(second.total).as_secs_f64()))?;
    say(format!("second_turn_new_tokens: {}", second.input))?;
    say(format!("second_turn_reused_tokens: {}", second.reused))?;

    if args.grammar {
        let provider = provider.with_tool_choice(ToolChoice::Required);
        let write = ToolSpec {
            name: "write".into(),
            description: "Create or overwrite a file.".into(),
            input_schema: serde_json::json!({
                "type": "object",
                "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
                "required": ["path", "content"]
            }),
        };
        let ask =
            Message::user_text("Save a 200-word story about a lighthouse keeper to story.txt.");
        let constrained = run(&provider, &request(vec![ask], vec![write], args.new_tokens)).await?;
        // Calls are not streamed as text, so the whole call time is decode plus a short prefill.
        let secs = constrained.total.as_secs_f64();
        let prefill = constrained.input as f64 / (first.input as f64 / ttft);
        let rate = constrained.output as f64 / (secs - prefill).max(f64::EPSILON);
        say(format!("grammar_decode_tok_s: {rate:.1}"))?;
        say(format!("grammar_generated_tokens: {}", constrained.output))?;
    }
    if let Some(mb) = peak_rss_mb() {
        say(format!("peak_rss_mb: {mb:.0}"))?;
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "{message}");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "{error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(measure(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
