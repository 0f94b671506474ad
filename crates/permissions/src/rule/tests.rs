use super::*;
use pretty_assertions::assert_eq;

fn parse(text: &str) -> Rule {
    Rule::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

#[test]
fn bare_tool_names_cover_the_whole_tool() {
    let rule = parse("bash");
    assert_eq!(rule.tool(), &RuleTool::Named("bash".to_owned()));
    assert_eq!(rule.specifier(), &Specifier::Any);
    assert_eq!(parse("Bash(*)").specifier(), &Specifier::Any);
    assert_eq!(parse("  read  ").text(), "read");
}

#[test]
fn claude_style_capitalised_rules_parse_to_rein_tools() {
    for (text, tool) in [
        ("Bash(git diff *)", "bash"),
        ("Edit(src/**)", "edit"),
        ("Read(~/.ssh/**)", "read"),
        ("Write(docs/*.md)", "write"),
        ("WebFetch(domain:docs.rs)", "web_fetch"),
        ("MultiEdit", "multi_edit"),
    ] {
        assert_eq!(parse(text).tool(), &RuleTool::Named(tool.to_owned()), "{text}");
    }
}

#[test]
fn each_tool_gets_its_kind_of_pattern() {
    assert!(matches!(parse("bash(npm run test:*)").specifier(), Specifier::Command(_)));
    assert!(matches!(parse("edit(src/**)").specifier(), Specifier::Path(_)));
    assert!(matches!(parse("grep(src/**)").specifier(), Specifier::Path(_)));
    assert_eq!(
        parse("web_fetch(domain:docs.rs)").specifier(),
        &Specifier::Domain(DomainPattern::Exact("docs.rs".to_owned()))
    );
}

#[test]
fn mcp_rules_name_a_tool_or_a_whole_server() {
    assert_eq!(
        parse("mcp__github__create_issue").tool(),
        &RuleTool::Named("mcp__github__create_issue".to_owned())
    );
    assert_eq!(parse("mcp__github__*").tool(), &RuleTool::McpServer("github".to_owned()));
    assert_eq!(parse("mcp__github").tool(), &RuleTool::McpServer("github".to_owned()));
}

#[test]
fn parse_errors_are_typed_and_carry_the_rule() {
    assert_eq!(Rule::parse("   "), Err(RuleParseError::Empty { rule: "   ".to_owned() }));
    assert_eq!(
        Rule::parse("bash(git diff *"),
        Err(RuleParseError::UnclosedParenthesis { rule: "bash(git diff *".to_owned() })
    );
    assert_eq!(
        Rule::parse("bash()"),
        Err(RuleParseError::EmptyPattern { rule: "bash()".to_owned() })
    );
    assert_eq!(
        Rule::parse("todo(x)"),
        Err(RuleParseError::PatternNotSupported {
            rule: "todo(x)".to_owned(),
            tool: "todo".to_owned()
        })
    );
    assert_eq!(
        Rule::parse("web_fetch(docs.rs)"),
        Err(RuleParseError::BadDomainPattern { rule: "web_fetch(docs.rs)".to_owned() })
    );
    assert!(matches!(
        Rule::parse("ba sh(x)"),
        Err(RuleParseError::InvalidToolName { name, .. }) if name == "ba sh"
    ));
    assert!(matches!(Rule::parse("ed*t"), Err(RuleParseError::InvalidToolName { .. })));
    assert!(matches!(Rule::parse("mcp__*__x"), Err(RuleParseError::InvalidToolName { .. })));
    assert!(matches!(
        Rule::parse("mcp__gh__*(x)"),
        Err(RuleParseError::PatternNotSupported { .. })
    ));
    assert!(matches!(Rule::parse("edit(../x)"), Err(RuleParseError::BadPathPattern { .. })));
    assert!(matches!(Rule::parse("bash(echo 'x)"), Err(RuleParseError::UnbalancedQuote { .. })));
}

#[test]
fn error_messages_quote_the_offending_rule() {
    let error = Rule::parse("Edit(src/[)").unwrap_err();
    assert!(error.to_string().contains("`Edit(src/[)`"), "{error}");
}

#[test]
fn rules_parse_through_from_str_and_display_as_written() {
    let rule: Rule = "Bash(git log *)".parse().unwrap();
    assert_eq!(rule.to_string(), "Bash(git log *)");
}
