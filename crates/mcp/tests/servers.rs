//! The client against real MCP servers from npm: the reference "everything" server (tools,
//! resources, prompts, over stdio and streamable HTTP) and the filesystem server.

mod support;

use pretty_assertions::assert_eq;
use rein_mcp::{PromptArgs, ServerState, Transport};
use serde_json::json;
use std::collections::BTreeMap;
use support::{call, everything, npm_server, start, stdio, tool};

#[tokio::test]
async fn everything_over_stdio_offers_tools_resources_and_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let manager = start(vec![everything()], dir.path()).await;
    assert_eq!(manager.warnings(), &[] as &[String]);
    let status = manager.status();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].state, ServerState::Connected, "{status:?}");
    assert!(
        status[0].tools >= 5 && status[0].resources >= 1 && status[0].prompts >= 2,
        "{status:?}"
    );

    let names: Vec<String> = manager.tools().iter().map(|t| t.name().to_string()).collect();
    for expected in [
        "mcp__everything__echo",
        "mcp__everything__get-sum",
        "mcp_list_resources",
        "mcp_read_resource",
    ] {
        assert!(names.contains(&expected.to_string()), "{expected} missing from {names:?}");
    }
    let mcp: Vec<&String> = names.iter().filter(|n| n.starts_with("mcp__")).collect();
    assert!(mcp.iter().all(|n| n.starts_with("mcp__everything__")), "{mcp:?}");
    let mut sorted = mcp.clone();
    sorted.sort();
    assert_eq!(mcp, sorted, "tools come sorted by name");

    let echo = tool(&manager, "mcp__everything__echo");
    assert!(echo.is_read_only(&json!({})), "echo is annotated read-only");
    assert_eq!(echo.input_schema()["type"], "object");
    assert!(!echo.description().is_empty());

    let output =
        call(&manager, "mcp__everything__echo", json!({"message": "hi there"}), dir.path()).await;
    assert_eq!((output.content.as_str(), output.is_error), ("Echo: hi there", false));
    let output =
        call(&manager, "mcp__everything__get-sum", json!({"a": 2, "b": 3}), dir.path()).await;
    assert_eq!(output.content, "The sum of 2 and 3 is 5.");
    let output = call(&manager, "mcp__everything__get-tiny-image", json!({}), dir.path()).await;
    assert!(output.content.contains("[image: image/png,"), "{}", output.content);
    // Bad arguments come back as an error result the model can read.
    let output = call(&manager, "mcp__everything__get-sum", json!({"a": "two"}), dir.path()).await;
    assert!(output.is_error, "{output:?}");

    let listed = call(&manager, "mcp_list_resources", json!({}), dir.path()).await;
    assert!(!listed.is_error, "{listed:?}");
    assert!(listed.content.starts_with("everything ("), "{}", listed.content);
    let uri = listed
        .content
        .lines()
        .find_map(|line| line.trim().split(' ').next().filter(|u| u.starts_with("demo://")))
        .unwrap_or_else(|| panic!("no demo:// resource in {}", listed.content))
        .to_string();
    let read = call(
        &manager,
        "mcp_read_resource",
        json!({"server": "everything", "uri": uri}),
        dir.path(),
    )
    .await;
    assert!(!read.is_error, "{read:?}");
    assert!(read.content.starts_with(&format!("[resource {uri}]")), "{}", read.content);
    let direct = manager.read_resource("everything", &uri).await.unwrap();
    assert_eq!(direct, read.content);
    let wrong =
        call(&manager, "mcp_read_resource", json!({"server": "nope", "uri": "x"}), dir.path())
            .await;
    assert!(wrong.is_error && wrong.content.contains("no MCP server `nope`"), "{wrong:?}");

    let prompts = manager.prompts();
    let names: Vec<&str> = prompts.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"simple-prompt") && names.contains(&"args-prompt"), "{names:?}");
    let args = prompts.iter().find(|p| p.name == "args-prompt").unwrap();
    assert_eq!(args.command, "mcp__everything__args-prompt");
    assert_eq!(args.arguments[0].name, "city");
    assert!(args.arguments[0].required);
    let simple = manager
        .get_prompt("everything", "simple-prompt", PromptArgs::Positional(String::new()))
        .await;
    assert_eq!(simple.unwrap(), "This is a simple prompt without arguments.");
    let weather = manager
        .get_prompt("everything", "args-prompt", PromptArgs::Positional("Paris".into()))
        .await;
    assert_eq!(weather.unwrap(), "What's weather in Paris?");
    let named = BTreeMap::from([
        ("city".to_string(), "Lyon".to_string()),
        ("state".into(), "Rhône".into()),
    ]);
    let weather = manager.get_prompt("everything", "args-prompt", PromptArgs::Named(named)).await;
    assert_eq!(weather.unwrap(), "What's weather in Lyon, Rhône?");
    let missing = manager
        .get_prompt("everything", "args-prompt", PromptArgs::Positional(String::new()))
        .await;
    assert!(missing.unwrap_err().to_string().contains("needs `city`"));
    manager.shut_down().await;
}

#[tokio::test]
async fn the_filesystem_server_lists_and_reads_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("data");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("notes.txt"), "line one\nline two\n").unwrap();
    let fs = stdio("fs", &npm_server("mcp-server-filesystem"), &[root.to_str().unwrap()]);
    let manager = start(vec![fs], dir.path()).await;
    assert_eq!(manager.warnings(), &[] as &[String]);
    let root = std::fs::canonicalize(&root).unwrap();
    let listing =
        call(&manager, "mcp__fs__list_directory", json!({"path": root}), dir.path()).await;
    assert_eq!(
        (listing.content.as_str(), listing.is_error),
        ("[FILE] notes.txt\n[DIR] sub", false)
    );
    let file = root.join("notes.txt");
    let text = call(&manager, "mcp__fs__read_text_file", json!({"path": file}), dir.path()).await;
    assert_eq!(text.content, "line one\nline two\n");
    assert!(tool(&manager, "mcp__fs__read_text_file").is_read_only(&json!({})));
    assert!(!tool(&manager, "mcp__fs__write_file").is_read_only(&json!({})));
    let outside =
        call(&manager, "mcp__fs__read_text_file", json!({"path": "/etc/hostname"}), dir.path())
            .await;
    assert!(outside.is_error, "{outside:?}");
}

#[tokio::test]
async fn everything_over_streamable_http() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = tokio::process::Command::new(npm_server("mcp-server-everything"))
        .arg("streamableHttp")
        .env("PORT", port.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // Bounded wait for the port to open (the server starts in a second or two).
    let mut listening = false;
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            listening = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(listening, "the HTTP server did not start");
    let mut config = everything();
    config.name = "web".into();
    config.transport = Transport::Http {
        url: format!("http://127.0.0.1:{port}/mcp"),
        headers: BTreeMap::from([("X-Test".to_string(), "1".to_string())]),
    };
    let manager = start(vec![config], dir.path()).await;
    assert_eq!(manager.warnings(), &[] as &[String]);
    assert_eq!(manager.status()[0].transport, "http");
    let output =
        call(&manager, "mcp__web__echo", json!({"message": "over http"}), dir.path()).await;
    assert_eq!(output.content, "Echo: over http");
    let weather =
        manager.get_prompt("web", "args-prompt", PromptArgs::Positional("Oslo".into())).await;
    assert_eq!(weather.unwrap(), "What's weather in Oslo?");
    manager.shut_down().await;
    server.kill().await.unwrap();
}
