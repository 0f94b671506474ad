//! A plain line-by-line conversation on the terminal, used when no richer interface is
//! available: each line is a prompt; Ctrl-C interrupts the running turn; Ctrl-D or `/exit`
//! leaves.

use crate::approval::TerminalApprover;
use crate::args::RunArgs;
use crate::interrupt::Interrupts;
use crate::{output, setup};
use std::io::Write;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::Mutex;

pub(crate) async fn run(args: &RunArgs, verbose: bool) -> anyhow::Result<u8> {
    let config = setup::load_config(args)?;
    let project_settings = config.project_file();
    let (factory, mut session) = setup::session(args, config).await?;
    let interrupts = Interrupts::install();
    let sink = output::sink(crate::args::OutputFormat::Text, verbose);
    // Prompts and approval answers come from the same lines, one reader at a time.
    let lines = Arc::new(Mutex::new(BufReader::new(tokio::io::stdin()).lines()));
    session.set_approver(Arc::new(TerminalApprover::new(lines.clone(), project_settings)));
    say(&format!(
        "rein {} · {} via {} · session {}\nType a task and press Enter. /compact [focus] summarises \
         the conversation; /exit or Ctrl-D leaves.\n",
        env!("CARGO_PKG_VERSION"),
        session.model(),
        session.provider_name(),
        session.id()
    ));
    loop {
        say("> ");
        let Some(line) = lines.lock().await.next_line().await? else { break };
        let prompt = line.trim();
        match prompt {
            "" => continue,
            "/exit" | "/quit" => break,
            _ => {}
        }
        let cancel = interrupts.arm();
        if let Some(focus) = prompt.strip_prefix("/compact") {
            let focus = Some(focus.trim()).filter(|f| !f.is_empty());
            let reason = rein_core::CompactReason::Manual;
            // Failures are reported through the sink as warnings.
            if session.compact(reason, focus, sink.as_ref(), &cancel).await.is_ok() {
                say("conversation compacted; details: rein sessions show --compactions\n");
            }
        } else {
            match factory.expand_prompt(prompt).await {
                Ok(prompt) => {
                    session.run(&prompt, sink.as_ref(), &cancel).await;
                }
                Err(error) => say(&format!("the slash command failed: {error}\n")),
            }
        }
        interrupts.disarm();
    }
    if let Some(notice) =
        factory.end(&mut session, rein_core::SessionEndReason::PromptInputExit).await
    {
        say(&format!("{notice}\n"));
    }
    say(&format!("\nresume with: rein --resume {}\n", session.id()));
    Ok(crate::exit::SUCCESS)
}

fn say(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}
