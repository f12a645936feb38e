//! `ibid styles`: the styles the binary carries, with their short names.

use std::io::{self, Write};

use crate::cli::Outcome;
use crate::render::style::BUILTIN;

/// Lists the embedded styles.
pub fn run() -> anyhow::Result<Outcome> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    list(&mut w)?;
    w.flush()?;
    Ok(Outcome::Clean)
}

/// Writes the list of embedded styles.
pub fn list(w: &mut impl Write) -> io::Result<()> {
    writeln!(w, "{:<22} {:<70} file", "name", "style")?;
    for b in BUILTIN {
        writeln!(w, "{:<22} {:<70} {}", b.name, b.description, b.file)?;
        if !b.aliases.is_empty() {
            writeln!(w, "{:<22} also: {}", "", b.aliases.join(", "))?;
        }
    }
    writeln!(
        w,
        "\n--style also takes a path to any .csl file; a dependent style loads its parent from\n\
         these styles or from its own folder. Without --style, `chicago` is used when the notes\n\
         use Ibid., `chicago-18` otherwise."
    )
}
