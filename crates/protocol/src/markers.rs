//! Phrases that open rein's own summary requests. The test kit's fake model server looks for
//! them so a scripted conversation stays in step however often rein asks for a summary.

/// Opens the request that compacts the conversation into a summary.
pub const COMPACTION_REQUEST: &str =
    "The conversation is about to be shortened to fit the context window.";

/// Opens the background request that brings the running session summary up to date.
pub const SUMMARY_UPDATE_REQUEST: &str =
    "Bring the running summary of this coding session up to date.";
