use super::*;

fn msg() -> String {
    "m".to_string()
}

#[test]
fn actions_follow_the_error_kind() {
    let d = Some(Duration::from_secs(3));
    let cases = [
        (ProviderError::RateLimited { retry_after: d, message: msg() }, ErrorAction::Retry),
        (ProviderError::Overloaded { retry_after: None, message: msg() }, ErrorAction::Retry),
        (
            ProviderError::Server { status: 500, message: msg(), retry_after: None },
            ErrorAction::Retry,
        ),
        (ProviderError::StreamCut { message: msg() }, ErrorAction::Retry),
        (ProviderError::Transport { message: msg() }, ErrorAction::Retry),
        (
            ProviderError::Http { status: 409, message: msg(), retryable: true, retry_after: None },
            ErrorAction::Retry,
        ),
        (
            ProviderError::Http { status: 429, message: msg(), retryable: false, retry_after: d },
            ErrorAction::Stop,
        ),
        (ProviderError::ContextOverflow { message: msg() }, ErrorAction::Compact),
        (ProviderError::InvalidRequest { status: 400, message: msg() }, ErrorAction::Stop),
        (ProviderError::Auth { status: 401, message: msg() }, ErrorAction::Stop),
        (ProviderError::QuotaExceeded { message: msg() }, ErrorAction::Stop),
        (ProviderError::Malformed { message: msg() }, ErrorAction::Stop),
        (ProviderError::InvalidConfig { message: msg() }, ErrorAction::Stop),
        (
            ProviderError::MissingApiKey {
                provider: "anthropic".into(),
                env_var: "ANTHROPIC_API_KEY".into(),
            },
            ErrorAction::Stop,
        ),
    ];
    for (error, action) in cases {
        assert_eq!(error.action(), action, "{error:?}");
    }
}

#[test]
fn retry_after_is_reported_where_the_server_gave_one() {
    let d = Some(Duration::from_millis(1500));
    assert_eq!(ProviderError::RateLimited { retry_after: d, message: msg() }.retry_after(), d);
    assert_eq!(ProviderError::Overloaded { retry_after: d, message: msg() }.retry_after(), d);
    assert_eq!(
        ProviderError::Server { status: 503, message: msg(), retry_after: d }.retry_after(),
        d
    );
    assert_eq!(ProviderError::StreamCut { message: msg() }.retry_after(), None);
}

#[test]
fn kinds_and_messages_are_stable() {
    let error = ProviderError::MissingApiKey {
        provider: "anthropic".into(),
        env_var: "ANTHROPIC_API_KEY".into(),
    };
    assert_eq!(error.kind(), "missing_api_key");
    assert_eq!(error.to_string(), "no API key for anthropic: set ANTHROPIC_API_KEY");

    let error = ProviderError::RateLimited { retry_after: None, message: "slow down".into() };
    assert_eq!(error.kind(), "rate_limited");
    assert_eq!(error.to_string(), "rate limited: slow down");

    let error = ProviderError::ContextOverflow { message: "prompt is too long".into() };
    assert_eq!(error.kind(), "context_overflow");
    assert_eq!(error.to_string(), "context window exceeded: prompt is too long");
}
