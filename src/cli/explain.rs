//! `ibid explain CODE`: what a rule checks, why, and an example ([`Code::example`]); `ibid
//! explain` lists the rules.

use std::io::Write;

use crate::model::diagnostic::Code;

/// Prints one rule's explanation, or the table of rules when `code` is `None`.
pub fn explain(w: &mut impl Write, code: Option<&str>) -> anyhow::Result<()> {
    match code {
        None => {
            for c in Code::ALL {
                writeln!(
                    w,
                    "{}  {:<24} {:<8} {}",
                    c.as_str(),
                    c.slug(),
                    c.default_severity().as_str(),
                    c.summary()
                )?;
            }
        }
        Some(text) => {
            let Some(c) = Code::parse(text) else {
                anyhow::bail!("unknown rule `{text}`; `ibid explain` lists the rules");
            };
            writeln!(
                w,
                "{} ({}), default severity {}",
                c.as_str(),
                c.slug(),
                c.default_severity().as_str()
            )?;
            writeln!(w)?;
            writeln!(w, "{}", c.summary())?;
            writeln!(w)?;
            writeln!(w, "{}", c.explanation())?;
            writeln!(w)?;
            writeln!(w, "Example:")?;
            for line in c.example().lines() {
                writeln!(w, "    {line}")?;
            }
        }
    }
    Ok(())
}
