//! Logging to stderr; stdout belongs to the user's output format.

/// Installs a stderr logger when asked for (REIN_LOG or --verbose); otherwise none, which
/// keeps start-up free of filter parsing.
pub(crate) fn init(verbose: bool) {
    let filter = match std::env::var("REIN_LOG") {
        Ok(filter) if !filter.is_empty() => filter,
        // llama.cpp reports every load step at info; only its warnings help a user.
        _ if verbose => "info,llama-cpp-2=warn".to_string(),
        _ => return,
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
