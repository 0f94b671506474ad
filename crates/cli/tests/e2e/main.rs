//! End-to-end tests: the real `rein` binary in temporary git repositories, talking to the
//! test kit's fake model server over loopback.

mod bad_input;
mod compaction;
mod context;
mod escape;
mod extensions;
mod harness;
mod headless;
mod hooks;
mod local;
mod mcp;
mod memory;
mod permissions;
mod providers;
mod sessions;
mod terminal;
