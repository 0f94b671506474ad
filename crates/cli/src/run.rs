//! `rein -p`: one prompt, no interface, an exit code scripts can rely on.

use crate::args::RunArgs;
use crate::exit::{self, UsageError};
use crate::interrupt::Interrupts;
use crate::{output, setup};
use anyhow::Context;
use rein_protocol::SessionStopReason;
use std::io::Read;

pub(crate) async fn headless(args: &RunArgs, prompt: &str, verbose: bool) -> anyhow::Result<u8> {
    let prompt = if prompt == "-" { read_stdin()? } else { prompt.to_string() };
    if prompt.trim().is_empty() {
        return Err(UsageError { message: "the prompt is empty".into() }.into());
    }
    let config = setup::load_config(args)?;
    let (factory, mut session) = setup::session(args, config).await?;
    let prompt = factory.expand_prompt(&prompt).await.map_err(|message| UsageError {
        message: format!("the slash command failed: {message}"),
    })?;
    let interrupts = Interrupts::install();
    let cancel = interrupts.arm();
    let sink = output::sink(args.output_format, verbose);
    let result = session.run(&prompt, sink.as_ref(), &cancel).await;
    interrupts.disarm();
    if let Some(notice) = factory.end(&mut session, rein_core::SessionEndReason::Other).await {
        crate::output::notice(&notice);
    }
    Ok(match result.stop_reason {
        SessionStopReason::Completed => exit::SUCCESS,
        SessionStopReason::MaxTurns => exit::MAX_TURNS,
        SessionStopReason::Interrupted => exit::INTERRUPTED,
        SessionStopReason::Error | SessionStopReason::Refused => exit::FAILURE,
    })
}

fn read_stdin() -> anyhow::Result<String> {
    let mut prompt = String::new();
    std::io::stdin().read_to_string(&mut prompt).context("reading the prompt from stdin")?;
    Ok(prompt)
}
