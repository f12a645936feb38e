//! Checks a CSL style a user brings before ibid renders with it. hayagriva renders a style by
//! recursion, through its elements and into every macro a `<text macro>` calls, and it neither
//! checks that a macro exists nor that a macro does not call itself; the XML deserialiser under
//! citationberg recurses too. A style that would overflow the stack, loop or take unbounded time
//! is refused here, with an [`StyleDefect`] naming the element or macro:
//!
//! - the raw XML nests elements deeper than [`MAX_NESTING`] (checked on the text, before the
//!   deserialiser sees it: [`check_xml`]);
//! - the style has no `<citation>` with a `<layout>` ([`has_citation_layout`]);
//! - a `<text macro>` or a sort `<key macro>` names a macro the style does not define;
//! - a macro calls itself, directly or through others;
//! - a layout nests deeper than [`MAX_NESTING`] counting through the macros it calls;
//! - a layout expands more than [`MAX_EXPANSIONS`] macro calls (a macro calling the next one
//!   twice, forty deep, is 2^40 calls): counted from the call graph, each macro once.
//!
//! Every walk here is iterative, so a style cannot overflow the checks themselves.

use std::collections::HashMap;

use hayagriva::citationberg::{
    IndependentStyle, Layout, LayoutRenderingElement, NamesChild, Sort, SortKey, TextTarget,
};
use quick_xml::events::Event;

use crate::error::StyleDefect;

/// The deepest nesting of elements a style may have, in its XML and counting through its macros.
/// The official styles nest at most 60 levels; hayagriva's renderer overflows a worker thread's
/// stack at about 2,000.
pub const MAX_NESTING: usize = 256;

/// The most macro calls one rendering of a layout (or of a sort key) may expand to, a
/// `<choose>` counting its dearest branch. The official styles need at most 250.
pub const MAX_EXPANSIONS: u64 = 100_000;

/// Checks the nesting depth of a style's raw XML, without recursion, before it is deserialised.
/// A text that is not well-formed XML passes: the deserialiser reports it.
pub fn check_xml(xml: &str) -> Result<(), StyleDefect> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut depth = 0usize;
    loop {
        let at = reader.buffer_position();
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > MAX_NESTING {
                    let at = usize::try_from(at).unwrap_or(usize::MAX);
                    let (line, _) = crate::model::span::line_col(xml, at);
                    return Err(StyleDefect::TooDeep {
                        line,
                        limit: MAX_NESTING,
                    });
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// Whether a style's XML has a `<citation>` element with a `<layout>` in it (for the message
/// when citationberg refuses a style without one).
pub fn has_citation_layout(xml: &str) -> bool {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    let mut in_citation = 0usize;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                match e.local_name().as_ref() {
                    b"citation" if in_citation == 0 => in_citation = depth,
                    b"layout" if in_citation > 0 => return true,
                    _ => {}
                }
            }
            Ok(Event::Empty(e)) => {
                if in_citation > 0 && e.local_name().as_ref() == b"layout" {
                    return true;
                }
            }
            Ok(Event::End(_)) => {
                if depth == in_citation {
                    in_citation = 0;
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

/// The names of the macros a list of elements calls (each call once), walked with an explicit
/// stack.
fn calls_of(children: &[LayoutRenderingElement]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack: Vec<&LayoutRenderingElement> = children.iter().collect();
    while let Some(element) = stack.pop() {
        match element {
            LayoutRenderingElement::Text(text) => {
                if let TextTarget::Macro { name } = &text.target {
                    out.push(name.as_str());
                }
            }
            LayoutRenderingElement::Group(group) => stack.extend(&group.children),
            LayoutRenderingElement::Choose(choose) => {
                for branch in choose.branches() {
                    stack.extend(&branch.children);
                }
                if let Some(otherwise) = &choose.otherwise {
                    stack.extend(&otherwise.children);
                }
            }
            LayoutRenderingElement::Names(names) => {
                for child in &names.children {
                    if let NamesChild::Substitute(sub) = child {
                        stack.extend(&sub.children);
                    }
                }
            }
            LayoutRenderingElement::Date(_)
            | LayoutRenderingElement::Number(_)
            | LayoutRenderingElement::Label(_) => {}
        }
    }
    out
}

/// What a layout, sort key or macro needs: the macro calls one rendering of it expands to and
/// the depth of elements it nests to, counting through the macros it calls.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Need {
    expansions: u64,
    depth: usize,
}

/// How a node of [`measure`]'s tree combines its children.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Combine {
    /// Every child is rendered (a group, a macro body, a names' substitute at worst).
    All,
    /// One child is rendered (the branches of a choose).
    One,
}

/// A node of a flattened element tree: its parent, how it combines its children, the levels
/// it adds and what it needs so far.
struct Node {
    parent: usize,
    combine: Combine,
    levels: usize,
    need: Need,
}

/// What a list of elements needs, given what each macro needs: a `<choose>` costs its dearest
/// branch, everything else the sum of its children. The tree is flattened in pre-order (a child
/// after its parent) and summed up from the end, so nothing recurses.
fn measure(
    children: &[LayoutRenderingElement],
    levels: usize,
    index: &HashMap<&str, usize>,
    need: &[Need],
) -> Need {
    let node = |parent, combine, levels, need| Node {
        parent,
        combine,
        levels,
        need,
    };
    let mut nodes = vec![node(0, Combine::All, levels, Need::default())];
    let mut stack: Vec<(&LayoutRenderingElement, usize)> =
        children.iter().map(|c| (c, 0)).collect();
    while let Some((element, parent)) = stack.pop() {
        let at = nodes.len();
        match element {
            LayoutRenderingElement::Text(text) => {
                let callee = match &text.target {
                    TextTarget::Macro { name } => index.get(name.as_str()).map(|&m| need[m]),
                    _ => None,
                };
                nodes.push(node(parent, Combine::All, 1, callee.unwrap_or_default()));
            }
            LayoutRenderingElement::Group(group) => {
                nodes.push(node(parent, Combine::All, 1, Need::default()));
                stack.extend(group.children.iter().map(|c| (c, at)));
            }
            LayoutRenderingElement::Choose(choose) => {
                nodes.push(node(parent, Combine::One, 1, Need::default()));
                let branches = choose
                    .branches()
                    .map(|b| b.children.as_slice())
                    .chain(choose.otherwise.as_ref().map(|o| o.children.as_slice()));
                for branch in branches {
                    let b = nodes.len();
                    nodes.push(node(at, Combine::All, 1, Need::default()));
                    stack.extend(branch.iter().map(|c| (c, b)));
                }
            }
            LayoutRenderingElement::Names(names) => {
                nodes.push(node(parent, Combine::All, 1, Need::default()));
                for child in &names.children {
                    if let NamesChild::Substitute(sub) = child {
                        let b = nodes.len();
                        nodes.push(node(at, Combine::All, 1, Need::default()));
                        stack.extend(sub.children.iter().map(|c| (c, b)));
                    }
                }
            }
            LayoutRenderingElement::Date(_)
            | LayoutRenderingElement::Number(_)
            | LayoutRenderingElement::Label(_) => {
                nodes.push(node(parent, Combine::All, 1, Need::default()));
            }
        }
    }
    for i in (1..nodes.len()).rev() {
        let done = Need {
            expansions: nodes[i].need.expansions,
            depth: nodes[i].need.depth.saturating_add(nodes[i].levels),
        };
        let parent = nodes[i].parent;
        let parent = &mut nodes[parent];
        parent.need.expansions = match parent.combine {
            Combine::All => parent.need.expansions.saturating_add(done.expansions),
            Combine::One => parent.need.expansions.max(done.expansions),
        };
        parent.need.depth = parent.need.depth.max(done.depth);
    }
    Need {
        expansions: nodes[0].need.expansions,
        depth: nodes[0].need.depth.saturating_add(nodes[0].levels),
    }
}

/// Checks a parsed style's macros: every macro called is defined, none calls itself, and each
/// layout and sort key stays within [`MAX_NESTING`] and [`MAX_EXPANSIONS`].
pub fn check_style(csl: &IndependentStyle) -> Result<(), StyleDefect> {
    for (what, n) in needs(csl)? {
        if n.depth > MAX_NESTING {
            return Err(StyleDefect::TooDeepThroughMacros {
                layout: what,
                depth: n.depth,
                limit: MAX_NESTING,
            });
        }
        if n.expansions > MAX_EXPANSIONS {
            return Err(StyleDefect::TooManyExpansions {
                layout: what,
                count: n.expansions,
                limit: MAX_EXPANSIONS,
            });
        }
    }
    Ok(())
}

/// A layout, or a sort key that calls a macro.
enum Root<'a> {
    Layout(&'a Layout),
    SortKey(&'a str),
}

/// The layouts and macro sort keys of a style, named for messages.
fn roots(csl: &IndependentStyle) -> Vec<(String, Root<'_>)> {
    let mut out = Vec::new();
    add_root(
        &mut out,
        "citation",
        &csl.citation.layout,
        csl.citation.sort.as_ref(),
    );
    if let Some(bib) = &csl.bibliography {
        add_root(&mut out, "bibliography", &bib.layout, bib.sort.as_ref());
    }
    out
}

fn add_root<'a>(
    out: &mut Vec<(String, Root<'a>)>,
    what: &str,
    layout: &'a Layout,
    sort: Option<&'a Sort>,
) {
    out.push((format!("{what} layout"), Root::Layout(layout)));
    for key in sort.map(|s| s.keys.as_slice()).unwrap_or_default() {
        if let SortKey::MacroName { name, .. } = key {
            out.push((format!("{what} sort key"), Root::SortKey(name.as_str())));
        }
    }
}

/// What each layout and sort key of a style needs, once every macro called is known to be
/// defined and none calls itself.
fn needs(csl: &IndependentStyle) -> Result<Vec<(String, Need)>, StyleDefect> {
    // hayagriva uses the first macro of a name
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, m) in csl.macros.iter().enumerate() {
        index.entry(m.name.as_str()).or_insert(i);
    }
    let resolve = |calls: Vec<&str>, caller: &str| -> Result<Vec<usize>, StyleDefect> {
        calls
            .into_iter()
            .map(|name| {
                index
                    .get(name)
                    .copied()
                    .ok_or_else(|| StyleDefect::UndefinedMacro {
                        name: name.to_owned(),
                        caller: caller.to_owned(),
                    })
            })
            .collect()
    };
    let roots = roots(csl);
    for (what, root) in &roots {
        let calls = match root {
            Root::Layout(layout) => calls_of(&layout.elements),
            Root::SortKey(name) => vec![*name],
        };
        resolve(calls, &format!("the {what}"))?;
    }
    let mut edges = Vec::with_capacity(csl.macros.len());
    for m in &csl.macros {
        edges.push(resolve(
            calls_of(&m.children),
            &format!("the macro `{}`", m.name),
        )?);
    }
    let order = crate::graph::callees_first(&edges).map_err(|cycle| {
        let names: Vec<String> = cycle.iter().map(|&i| csl.macros[i].name.clone()).collect();
        StyleDefect::RecursiveMacro {
            name: names[0].clone(),
            cycle: names,
        }
    })?;

    // What each macro needs, callees before callers; a macro is one expansion itself.
    let mut need = vec![Need::default(); edges.len()];
    for &m in &order {
        let body = measure(&csl.macros[m].children, 0, &index, &need);
        need[m] = Need {
            expansions: body.expansions.saturating_add(1),
            depth: body.depth,
        };
    }
    // a layout sits three levels down (style, citation, layout); a sort key four (style,
    // citation, sort, key)
    Ok(roots
        .into_iter()
        .map(|(what, root)| {
            let n = match root {
                Root::Layout(layout) => measure(&layout.elements, 3, &index, &need),
                Root::SortKey(name) => {
                    let callee = index.get(name).map(|&m| need[m]).unwrap_or_default();
                    Need {
                        expansions: callee.expansions,
                        depth: callee.depth.saturating_add(4),
                    }
                }
            };
            (what, n)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(macros: &str, layout: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
<info><title>T</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
{macros}<citation><layout>{layout}</layout></citation></style>"#
        )
    }

    fn check(xml: &str) -> Result<(), StyleDefect> {
        check_xml(xml)?;
        check_style(&IndependentStyle::from_xml(xml).expect("parses"))
    }

    #[test]
    fn a_plain_style_passes() {
        let xml = style(
            r#"<macro name="a"><text macro="b"/><text macro="b"/></macro><macro name="b"><text variable="title"/></macro>"#,
            r#"<text macro="a"/>"#,
        );
        assert_eq!(check(&xml), Ok(()));
    }

    #[test]
    fn undefined_and_recursive_macros_are_named() {
        let xml = style("", r#"<group><text macro="nope"/></group>"#);
        assert_eq!(
            check(&xml),
            Err(StyleDefect::UndefinedMacro {
                name: "nope".into(),
                caller: "the citation layout".into()
            })
        );
        let xml = style(
            r#"<macro name="a"><choose><if variable="title"><text macro="b"/></if></choose></macro><macro name="b"><names variable="author"><substitute><text macro="a"/></substitute></names></macro>"#,
            r#"<text variable="title"/>"#,
        );
        let Err(StyleDefect::RecursiveMacro { cycle, .. }) = check(&xml) else {
            panic!("not refused: {:?}", check(&xml));
        };
        assert_eq!(cycle, ["a", "b", "a"]);
    }

    #[test]
    fn a_fan_out_is_counted_not_expanded() {
        let mut macros = String::new();
        for i in 0..60 {
            macros.push_str(&format!(
                r#"<macro name="m{i}"><text macro="m{}"/><text macro="m{}"/></macro>"#,
                i + 1,
                i + 1
            ));
        }
        macros.push_str(r#"<macro name="m60"><text variable="title"/></macro>"#);
        let xml = style(&macros, r#"<text macro="m0"/>"#);
        let Err(StyleDefect::TooManyExpansions { count, .. }) = check(&xml) else {
            panic!("not refused");
        };
        assert_eq!(count, (1u64 << 61) - 1);
    }

    #[test]
    fn depth_counts_through_macros() {
        let mut macros = String::new();
        for i in 0..100 {
            macros.push_str(&format!(
                r#"<macro name="m{i}"><group><group><text macro="m{}"/></group></group></macro>"#,
                i + 1
            ));
        }
        macros.push_str(r#"<macro name="m100"><text variable="title"/></macro>"#);
        let xml = style(&macros, r#"<text macro="m0"/>"#);
        assert!(matches!(
            check(&xml),
            Err(StyleDefect::TooDeepThroughMacros { .. })
        ));
        let deep = style(
            "",
            &format!("{}{}", "<group>".repeat(300), "</group>".repeat(300)),
        );
        assert!(matches!(
            check_xml(&deep),
            Err(StyleDefect::TooDeep { line: 4, .. })
        ));
    }
}
