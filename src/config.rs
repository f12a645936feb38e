//! Configuration: `ibid.toml`, found upwards from the manuscript, and inline opt-outs.
//!
//! ```toml
//! style = "chicago"            # default style for format/check/fix
//! ignore-notes = ["xxxix"]     # notes whose findings are not reported
//!
//! [rules]
//! IB100 = "off"                # a rule off ...
//! name-variant = "error"       # ... or at another severity (codes or names)
//! ```
//!
//! A note opts out inline by containing `ibid-ignore` (all rules) or `ibid-ignore: IB100, IB014`
//! (those rules), for instance in an HTML or Markdown comment.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::manuscript::Manuscript;
use crate::model::diagnostic::{Code, Diagnostic, Severity};
use crate::model::span::line_col;

/// The name of the configuration file.
pub const FILE_NAME: &str = "ibid.toml";

/// A rule's setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    /// Not reported.
    Off,
    /// Reported as info.
    Info,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

/// The contents of an `ibid.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Default style (a short name or a path to a .csl file, relative to the config file).
    pub style: Option<String>,
    /// Notes whose findings are not reported, by id.
    #[serde(default)]
    pub ignore_notes: Vec<String>,
    /// Rule settings, by code or name.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
    /// The file it was read from.
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// Rule settings with their codes resolved.
    #[serde(skip)]
    settings: Vec<(Code, RuleSetting)>,
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        Config::parse(path, &text)
    }

    /// Parses configuration text; `path` names it in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let (l, c) = line_col(text, s.start);
                    format!("{l}:{c}: ")
                })
                .unwrap_or_default();
            Error::Config {
                path: path.to_owned(),
                message: format!("{at}{}", e.message()),
            }
        })?;
        for (name, setting) in &config.rules {
            let code = Code::parse(name).ok_or_else(|| Error::Config {
                path: path.to_owned(),
                message: format!("unknown rule `{name}` in [rules]; `ibid explain` lists them"),
            })?;
            config.settings.push((code, *setting));
        }
        config.path = Some(path.to_owned());
        Ok(config)
    }

    /// The nearest `ibid.toml` in the manuscript's directory or above it; the default when none.
    pub fn discover(manuscript: &Path) -> Result<Config> {
        let start = manuscript
            .canonicalize()
            .ok()
            .and_then(|p| p.parent().map(Path::to_owned));
        let mut dir = start.as_deref();
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
            dir = d.parent();
        }
        Ok(Config::default())
    }

    /// The style to use, resolved against the config file's directory when it is a path.
    pub fn style(&self) -> Option<String> {
        let style = self.style.as_ref()?;
        if style.ends_with(".csl") {
            if let Some(dir) = self.path.as_deref().and_then(Path::parent) {
                return Some(dir.join(style).display().to_string());
            }
        }
        Some(style.clone())
    }

    /// Applies rule settings, ignored notes and inline opt-outs to a manuscript's findings.
    pub fn filter(&self, manuscript: &Manuscript, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        // each note by its id (the first of that id, as `Manuscript::note` finds it), looked up
        // once per finding
        let mut notes: HashMap<&str, &crate::manuscript::Note> = HashMap::new();
        for n in &manuscript.notes {
            notes.entry(n.id.as_str()).or_insert(n);
        }
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                if let Some(note) = d.note.as_deref() {
                    if self.ignore_notes.iter().any(|n| n == note) {
                        return None;
                    }
                    if let Some(n) = notes.get(note) {
                        if inline_ignores(&n.text, d.code) {
                            return None;
                        }
                    }
                }
                match self.settings.iter().rev().find(|(c, _)| *c == d.code) {
                    Some((_, RuleSetting::Off)) => return None,
                    Some((_, RuleSetting::Info)) => d.severity = Severity::Info,
                    Some((_, RuleSetting::Warning)) => d.severity = Severity::Warning,
                    Some((_, RuleSetting::Error)) => d.severity = Severity::Error,
                    None => {}
                }
                Some(d)
            })
            .collect()
    }
}

/// Whether a note's text opts out of rule `code` (`ibid-ignore`, or `ibid-ignore: IB100, IB014`).
fn inline_ignores(text: &str, code: Code) -> bool {
    let Some(at) = text.find("ibid-ignore") else {
        return false;
    };
    let rest = &text[at + "ibid-ignore".len()..];
    let Some(list) = rest.strip_prefix(':') else {
        return true;
    };
    list.split(|c: char| c == ',' || c.is_whitespace())
        .map(|w| w.trim_end_matches("-->").trim())
        .take_while(|w| w.is_empty() || Code::parse(w).is_some())
        .filter_map(Code::parse)
        .any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_by_code_or_name_and_rejects_unknown_ones() {
        let c = Config::parse(
            Path::new("ibid.toml"),
            "style = \"apa\"\nignore-notes = [\"iii\"]\n[rules]\nIB100 = \"off\"\nname-variant = \"error\"\n",
        )
        .unwrap();
        assert_eq!(c.style.as_deref(), Some("apa"));
        assert_eq!(c.settings.len(), 2);
        let err = Config::parse(Path::new("ibid.toml"), "[rules]\nIB999 = \"off\"\n").unwrap_err();
        assert!(err.to_string().contains("IB999"), "{err}");
        let err =
            Config::parse(Path::new("ibid.toml"), "style = \"apa\"\nsytle = 3\n").unwrap_err();
        assert!(err.to_string().contains("ibid.toml: 2:1"), "{err}");
    }

    #[test]
    fn inline_opt_outs() {
        assert!(inline_ignores(
            "Ibid, 4. <!-- ibid-ignore -->",
            Code::StyleDifference
        ));
        assert!(inline_ignores(
            "x <!-- ibid-ignore: IB100, IB014 -->",
            Code::NameVariant
        ));
        assert!(!inline_ignores(
            "x <!-- ibid-ignore: IB100 -->",
            Code::NameVariant
        ));
        assert!(!inline_ignores("Ibid, 4.", Code::StyleDifference));
    }
}
