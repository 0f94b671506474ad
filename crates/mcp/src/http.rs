//! The streamable HTTP transport: an HTTP client whose TLS is set up here (ring and the
//! bundled web PKI roots, as the rest of rein), so no process-wide crypto provider is needed
//! and certificate checks do not depend on the machine's store.

use reqwest13::header::{HeaderMap, HeaderName, HeaderValue};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The transport for the server at `url`, sending `headers` with every request.
pub(crate) fn transport(
    url: &str,
    headers: &BTreeMap<String, String>,
) -> Result<StreamableHttpClientTransport<reqwest13::Client>, String> {
    let client = reqwest13::Client::builder()
        .tls_backend_preconfigured(tls_config()?)
        .default_headers(header_map(headers)?)
        .user_agent(concat!("rein/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("could not build an HTTP client: {e}"))?;
    Ok(StreamableHttpClientTransport::with_client(
        client,
        StreamableHttpClientTransportConfig::with_uri(url.to_string()),
    ))
}

fn tls_config() -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

fn header_map(headers: &BTreeMap<String, String>) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let header = HeaderName::try_from(name.as_str())
            .map_err(|_| format!("`{name}` is not a valid header name"))?;
        let mut value = HeaderValue::try_from(value.as_str())
            .map_err(|_| format!("the value of header `{name}` is not valid in a header"))?;
        value.set_sensitive(true);
        map.insert(header, value);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The transport starts its worker task at once, so it needs a runtime.
    #[tokio::test]
    async fn builds_for_https_without_a_global_crypto_provider() {
        let headers = BTreeMap::from([("Authorization".to_string(), "Bearer x".to_string())]);
        assert!(transport("https://example.invalid/mcp", &headers).is_ok());
    }

    #[test]
    fn bad_headers_are_reported() {
        let headers = BTreeMap::from([("bad header".to_string(), "x".to_string())]);
        let error = transport("http://127.0.0.1:1/mcp", &headers).err().unwrap();
        assert!(error.contains("`bad header` is not a valid header name"), "{error}");
    }
}
