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
//! (those rules), for instance in an HTML or Markdown comment (looked for in the note's source as
//! well as its text, since the readers drop comments from the text).
//!
//! The command line's `--select` and `--ignore` ([`RuleSelection`]) are applied here too, over
//! the file's `[rules]`, so that every verb reports the same findings.

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
    /// Rule settings, by code or name (with where each name stands in the file, for messages).
    #[serde(default)]
    pub rules: BTreeMap<toml::Spanned<String>, RuleSetting>,
    /// The file it was read from.
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// Rule settings with their codes resolved.
    #[serde(skip)]
    settings: Vec<(Code, RuleSetting)>,
    /// The command line's `--select` / `--ignore`, applied over `settings`.
    #[serde(skip)]
    selection: RuleSelection,
}

/// One `--select` / `--ignore` value: a rule by code (`IB100`) or name (`name-variant`), a code
/// prefix (`IB1`: every IB1xx rule), or `ALL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// One rule.
    Rule(Code),
    /// The rules whose code starts with this (upper case).
    Prefix(String),
}

impl Selector {
    /// Parses a selector; an error names it and says where the rules are listed.
    pub fn parse(text: &str) -> std::result::Result<Selector, String> {
        let text = text.trim();
        if let Some(code) = Code::parse(text) {
            return Ok(Selector::Rule(code));
        }
        let upper = text.to_ascii_uppercase();
        if upper == "ALL" {
            return Ok(Selector::Prefix("IB".into()));
        }
        let digits = upper.strip_prefix("IB").unwrap_or("x");
        if digits.chars().all(|c| c.is_ascii_digit())
            && Code::ALL.iter().any(|c| c.as_str().starts_with(&upper))
        {
            return Ok(Selector::Prefix(upper));
        }
        Err(format!(
            "unknown rule `{text}`: give a code (IB100), a name (style-difference), a code prefix \
             (IB1) or ALL; `ibid explain` lists the rules"
        ))
    }

    /// How specifically it names `code`, when it names it: a rule beats any prefix, a longer
    /// prefix a shorter one.
    fn specificity(&self, code: Code) -> Option<usize> {
        match self {
            Selector::Rule(c) => (*c == code).then_some(usize::MAX),
            Selector::Prefix(p) => code.as_str().starts_with(p.as_str()).then_some(p.len()),
        }
    }
}

/// The rules a run reports, as ruff takes them: with `select`, only the rules it names; never
/// those `ignore` names. Where both name a rule, the more specific selector wins (`--select IB1
/// --ignore IB100` reports IB101 but not IB100), and `ignore` wins a tie. A rule selected by
/// name or prefix is reported even when `ibid.toml` turns it off (the command line wins).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSelection {
    /// `--select`: when not empty, the only rules reported.
    pub select: Vec<Selector>,
    /// `--ignore`: rules never reported.
    pub ignore: Vec<Selector>,
}

impl RuleSelection {
    /// `Some(true)` when the selection turns `code` on, `Some(false)` when it turns it off,
    /// `None` when it leaves it to the configuration.
    pub fn decide(&self, code: Code) -> Option<bool> {
        let best = |list: &[Selector]| list.iter().filter_map(|s| s.specificity(code)).max();
        match (best(&self.select), best(&self.ignore)) {
            (Some(s), Some(i)) => Some(s > i),
            (_, Some(_)) => Some(false),
            (Some(_), None) => Some(true),
            (None, None) if self.select.is_empty() => None,
            (None, None) => Some(false),
        }
    }

    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }
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
        // `path:line:col: message`, as a compiler says it
        let at = |offset: Option<usize>, message: String| match offset {
            Some(o) => {
                let (line, column) = line_col(text, o);
                Error::Syntax {
                    path: path.to_owned(),
                    line,
                    column,
                    message,
                }
            }
            None => Error::Config {
                path: path.to_owned(),
                message,
            },
        };
        let mut config: Config = toml::from_str(text)
            .map_err(|e| at(e.span().map(|s| s.start), e.message().trim().to_owned()))?;
        for (name, setting) in &config.rules {
            let code = Code::parse(name.get_ref()).ok_or_else(|| {
                at(
                    Some(name.span().start),
                    format!(
                        "unknown rule `{}` in [rules]; `ibid explain` lists them",
                        name.get_ref()
                    ),
                )
            })?;
            config.settings.push((code, *setting));
        }
        config.path = Some(path.to_owned());
        Ok(config)
    }

    /// The nearest `ibid.toml` in the manuscript's directory or above it; the default when none.
    pub fn discover(manuscript: &Path) -> Result<Config> {
        match Config::find(manuscript) {
            Some(file) => Config::load(&file),
            None => Ok(Config::default()),
        }
    }

    /// The path of the nearest `ibid.toml` in the manuscript's directory or above it. A name
    /// that is not a file (`--stdin-filename drafts/essay.md`) is looked up from the directory
    /// it names, relative to the working directory.
    pub fn find(manuscript: &Path) -> Option<PathBuf> {
        let full = manuscript
            .canonicalize()
            .or_else(|_| std::path::absolute(manuscript))
            .ok()?;
        let mut dir = full.parent();
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
            dir = d.parent();
        }
        None
    }

    /// The same configuration with the command line's `--select` / `--ignore` over it.
    pub fn with_selection(mut self, selection: RuleSelection) -> Config {
        self.selection = selection;
        self
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

    /// Applies the rule selection, rule settings, ignored notes and inline opt-outs to a
    /// manuscript's findings.
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
                        // the text as the grammar reads it, and the source: a reader drops an
                        // HTML or Markdown comment from the text
                        let source = manuscript.text.get(n.span.start..n.span.end);
                        if inline_ignores(&n.text, d.code)
                            || source.is_some_and(|s| inline_ignores(s, d.code))
                        {
                            return None;
                        }
                    }
                }
                let setting = self
                    .settings
                    .iter()
                    .rev()
                    .find(|(c, _)| *c == d.code)
                    .map(|(_, s)| *s);
                let setting = match (self.selection.decide(d.code), setting) {
                    (Some(false), _) => return None,
                    // selected on the command line: reported even if the file turns it off
                    (Some(true), Some(RuleSetting::Off)) => None,
                    (_, setting) => setting,
                };
                match setting {
                    Some(RuleSetting::Off) => return None,
                    Some(RuleSetting::Info) => d.severity = Severity::Info,
                    Some(RuleSetting::Warning) => d.severity = Severity::Warning,
                    Some(RuleSetting::Error) => d.severity = Severity::Error,
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
        assert!(err.to_string().starts_with("ibid.toml:2:1: "), "{err}");
        let err =
            Config::parse(Path::new("ibid.toml"), "style = \"apa\"\nsytle = 3\n").unwrap_err();
        assert!(err.to_string().starts_with("ibid.toml:2:1: "), "{err}");
    }

    #[test]
    fn selectors_name_rules_by_code_name_or_prefix_and_the_most_specific_wins() {
        let sel = |s: &[&str], i: &[&str]| RuleSelection {
            select: s.iter().map(|x| Selector::parse(x).unwrap()).collect(),
            ignore: i.iter().map(|x| Selector::parse(x).unwrap()).collect(),
        };
        assert_eq!(
            Selector::parse("name-variant"),
            Ok(Selector::Rule(Code::NameVariant))
        );
        assert_eq!(Selector::parse("ib1"), Ok(Selector::Prefix("IB1".into())));
        assert!(Selector::parse("IB9").is_err());
        assert!(Selector::parse("no-such-rule").is_err());
        let none = RuleSelection::default();
        assert_eq!(none.decide(Code::StyleDifference), None);
        let s = sel(&["IB1"], &["IB100"]);
        assert_eq!(s.decide(Code::StyleDifference), Some(false));
        assert_eq!(s.decide(Code::MissingFinalPeriod), Some(true));
        assert_eq!(s.decide(Code::NameVariant), Some(false));
        let s = sel(&["style-difference"], &["IB1"]);
        assert_eq!(s.decide(Code::StyleDifference), Some(true));
        assert_eq!(s.decide(Code::MissingFinalPeriod), Some(false));
        let s = sel(&[], &["IB014"]);
        assert_eq!(s.decide(Code::NameVariant), Some(false));
        assert_eq!(s.decide(Code::StyleDifference), None);
        assert_eq!(sel(&["ALL"], &[]).decide(Code::NoNotes), Some(true));
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
