//! Which ODF styles set italics: `style:style` elements with `style:text-properties
//! fo:font-style`, and the styles they inherit from.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::events::Event;

use crate::error::Result;
use crate::manuscript::docx::{attr, each_event, local};

/// The styles of a document, by family and name.
#[derive(Debug, Clone, Default)]
pub struct Styles {
    /// (family, name) -> (parent, italic when the style itself says)
    styles: HashMap<(String, String), (Option<String>, Option<bool>)>,
}

impl Styles {
    /// Adds the styles of one part (`styles.xml`, or `content.xml`'s automatic styles).
    pub fn scan(&mut self, path: &Path, part: &str, xml: &str) -> Result<()> {
        let mut current: Option<(String, String)> = None;
        each_event(path, part, xml, |event, _| {
            match event {
                Event::Start(e) | Event::Empty(e) => match local(e.name().as_ref()) {
                    b"style" if e.name().as_ref() == b"style:style" => {
                        let name = attr(e, b"name").unwrap_or_default();
                        let family = attr(e, b"family").unwrap_or_default();
                        let parent = attr(e, b"parent-style-name");
                        self.styles
                            .insert((family.clone(), name.clone()), (parent, None));
                        current = matches!(event, Event::Start(_)).then_some((family, name));
                    }
                    b"text-properties" => {
                        if let (Some(key), Some(style)) = (&current, attr(e, b"font-style")) {
                            if let Some(entry) = self.styles.get_mut(key) {
                                entry.1 = Some(matches!(style.as_str(), "italic" | "oblique"));
                            }
                        }
                    }
                    _ => {}
                },
                Event::End(e) if e.name().as_ref() == b"style:style" => current = None,
                _ => {}
            }
            Ok(())
        })
    }

    /// Whether the style `name` of `family` (`text`, `paragraph`) sets italics on or off, itself
    /// or through its parents; `None` when none of them says.
    pub fn italic(&self, family: &str, name: &str) -> Option<bool> {
        let mut key = (family.to_owned(), name.to_owned());
        for _ in 0..32 {
            let (parent, italic) = self.styles.get(&key)?;
            if italic.is_some() {
                return *italic;
            }
            key.1 = parent.clone()?;
        }
        None
    }
}
