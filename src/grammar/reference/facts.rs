//! The publication facts after the title: parentheses, `In` containers, places and publishers,
//! dates; each plain part goes to [`ReferenceParser::plain`].

use super::numbers::{apply_tail, dash_norm, edition, is_page_range, journal_tail, year_range};
use super::title::facts_start;
use super::words::{contains_word, is_genre, set_if_none, set_place_if_none, skip_seps, starts_ci};
use super::{editor_mark, Mode, ReferenceParser};
use crate::grammar::date::{self, trailing_date, whole_date};
use crate::grammar::names;
use crate::grammar::scan::{abbreviation_before, Scan};

/// End of a plain part: the next top-level `, ` / `. ` (sentence) / ` (` / `; `.
fn part_end(text: &str, scan: &Scan, i: usize, end: usize) -> usize {
    let b = text.as_bytes();
    let mut k = i;
    while k < end {
        if scan.top(k) {
            match b[k] {
                b',' | b';' if k + 1 >= end || b[k + 1] == b' ' => return k,
                b'.' if (k + 1 >= end || b[k + 1] == b' ') && !abbreviation_before(&text[i..k]) => {
                    return k
                }
                b'(' if k > i && b[k - 1] == b' ' => return k - 1,
                // `3(1)`: keep with the volume
                b'(' if k > i && !text[i..k].trim().chars().all(|c| c.is_ascii_digit()) => {
                    return k;
                }
                _ => {}
            }
        }
        k += 1;
    }
    end
}

impl ReferenceParser<'_> {
    /// Reads the publication facts from `i` to the end of the reference.
    pub(super) fn rest_facts(&mut self, mut i: usize) {
        let (text, end) = (self.text(), self.end);
        let mut guard = 0;
        while i < end && guard < 200 {
            guard += 1;
            i = skip_seps(text, i, end);
            if i >= end {
                break;
            }
            let rest = &text[i..end];
            if rest.starts_with('(') {
                if let Some((close, _)) = self.scan.close_of(i) {
                    if close < end {
                        self.paren(i + 1, close);
                        i = close + 1;
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            if (starts_ci(rest, "in ") || starts_ci(rest, "in: ")) && !self.st.in_container {
                self.st.in_container = true;
                i += if starts_ci(rest, "in: ") { 4 } else { 3 };
                i = self.in_container(i);
                continue;
            }
            // a date with month and day spans its comma (`November 3, 2016`)
            if let Ok((r, d)) = date::date(rest) {
                if d.date_parts.first().is_some_and(|p| p.len() >= 2)
                    && (r.is_empty() || r.starts_with([',', '.', ';', ' ', ')']))
                {
                    if self.out.work.issued.is_none() {
                        self.out.work.issued = Some(d);
                    }
                    i = end - r.len();
                    continue;
                }
            }
            // `Orlando, FL`: a city and a state code
            {
                let pe = part_end(text, &self.scan, i, end).min(end);
                if pe + 2 < end && text[pe..].starts_with(", ") {
                    let city = &text[i..pe];
                    let after = &text[pe + 2..end];
                    let code_len = after
                        .find(|c: char| !(c.is_ascii_uppercase() || c == '.'))
                        .unwrap_or(after.len());
                    let code = &after[..code_len];
                    let letters = code.chars().filter(char::is_ascii_uppercase).count();
                    let code_ends = after[code_len..].is_empty()
                        || after[code_len..].starts_with([',', ';', ' ', ')']);
                    if letters == 2
                        && code.len() <= 4
                        && code_ends
                        && city.split_whitespace().count() <= 3
                        && city
                            .split_whitespace()
                            .all(|w| w.starts_with(|c: char| c.is_uppercase()))
                        && self.out.work.publisher_place.is_none()
                        && !city.contains(':')
                    {
                        self.out.work.publisher_place =
                            Some(format!("{}, {}", city.trim(), code.trim_end_matches('.')));
                        i = pe + 2 + code_len;
                        continue;
                    }
                }
            }
            // `Cambridge, MA: Harvard University Press`, `Columbia, S.C.: Camden House`
            if let Some(colon) = self.scan.find_top(i, end, ": ") {
                let place = &text[i..colon];
                let words: Vec<&str> = place.split_whitespace().collect();
                if place.matches(", ").count() == 1
                    && words.len() <= 5
                    && !place.contains(['(', '“', '"'])
                    && words
                        .iter()
                        .all(|w| w.starts_with(|c: char| c.is_uppercase()))
                    && self.out.work.publisher_place.is_none()
                {
                    self.out.work.publisher_place = Some(place.trim().to_owned());
                    let pstart = colon + 2;
                    let pend = part_end(text, &self.scan, pstart, end).max(pstart).min(end);
                    let publisher = text[pstart..pend].trim();
                    if !publisher.is_empty() && whole_date(publisher).is_none() {
                        set_if_none(&mut self.out.work.publisher, publisher);
                    }
                    i = pend;
                    continue;
                }
            }
            // an italic title is one part, commas and all (`*Signal Processing Magazine, IEEE*`)
            let from = self
                .emphasis
                .iter()
                .find(|e| e.start == i && e.end <= end)
                .map_or(i, |e| e.end);
            let j = part_end(text, &self.scan, from, end).max(i + 1).min(end);
            // an italic part alone after the title is its container (`“Reserve Unveils a Key
            // Procedure,” *The New York Times*, March 17, 1969`), not a publisher
            if from > i
                && text[from..j].trim().is_empty()
                && self.out.work.title.is_some()
                && self.out.work.container_title.is_none()
            {
                self.out.work.container_title = Some(text[i..from].trim().to_owned());
                i = j;
                continue;
            }
            let part = &text[i..j];
            self.plain(part);
            i = j;
        }
    }

    /// After `In `: editors (`E. Adler & V. Pouliot (Eds.),`), then the container title. Returns
    /// where the reading goes on.
    fn in_container(&mut self, mut i: usize) -> usize {
        let (text, scan, end) = (self.text(), &self.scan, self.end);
        // `in *Theorizing Revolutions*, ed. John Foran`: italics are the container's title,
        // never the editors' names
        let italic_here = self.emphasis.iter().any(|e| e.start == i);
        let out = &mut self.out;
        let lower = text[i..end].to_ascii_lowercase();
        for lead in ["edited by ", "ed. ", "eds. "] {
            if lower.starts_with(lead) {
                if let Some(l) = names::given_first(&text[..end], i + lead.len()) {
                    out.work.editor = l.names;
                    i = skip_seps(text, l.end, end);
                }
                break;
            }
        }
        if out.work.editor.is_empty() && !italic_here {
            let names =
                names::given_first(&text[..end], i).or_else(|| names::inverted(&text[..end], i));
            if let Some(l) = names {
                if let Some(e) = editor_mark(&text[..end], l.end) {
                    out.work.editor = l.names;
                    i = skip_seps(text, e, end);
                }
            }
        }
        // the container title: an italic one whole (`in *Advances in Neural Information
        // Processing Systems, 7*`)
        let italic_end = self
            .emphasis
            .iter()
            .find(|e| e.start == i && e.end <= end)
            .map(|e| e.end);
        let first = text[i..end].chars().next().unwrap_or(' ');
        if "“\"‘".contains(first) {
            if let Some((close, _)) = scan.close_of(i) {
                if close < end {
                    set_if_none(
                        &mut out.work.container_title,
                        &text[i + first.len_utf8()..close],
                    );
                    return close + text[close..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        let mut stop = end;
        let markers = [
            " (",
            ", ed.",
            ", eds.",
            ", edited by",
            ", ed ",
            ", trans",
            ", translated",
            ", pp",
            ", p. ",
            ", vol",
            ", Vol",
            ". Ed.",
            ". Edited",
            ". Eds.",
            ", hrsg",
            ": pp",
        ];
        for m in markers {
            if let Some(k) = scan.find_top(i, end, m) {
                stop = stop.min(k);
            }
        }
        let ends = scan.sentence_ends(i, end);
        if let Some(&e) = ends.iter().find(|&&e| e < end) {
            stop = stop.min(e - 1);
        }
        if let Some(e) = italic_end {
            stop = e;
        }
        for k in scan
            .split_top(i, stop, b',')
            .into_iter()
            .filter(|_| italic_end.is_none())
        {
            let after = &text[k + 1..end];
            let t = after.trim_start();
            if facts_start(after)
                || t.starts_with(|c: char| c.is_ascii_digit())
                || starts_ci(t, "pp")
                || starts_ci(t, "pages")
                || starts_ci(t, "vol")
            {
                stop = stop.min(k);
                break;
            }
        }
        let container = text[i..stop].trim();
        // `in Tectonophysics 476: 226-251`
        let mut tail_done = false;
        if italic_end.is_none()
            && container.contains(':')
            && container.chars().any(|c| c.is_ascii_digit())
        {
            for (k, _) in container.match_indices(' ') {
                if let Some(tail) = journal_tail(&container[k + 1..]) {
                    set_if_none(&mut out.work.container_title, &container[..k]);
                    apply_tail(&mut out.work, tail);
                    tail_done = true;
                    break;
                }
            }
        }
        if !tail_done {
            set_if_none(&mut out.work.container_title, container);
        }
        let lower = text[stop..end].to_ascii_lowercase();
        let t = lower.trim_start_matches([',', '.', ' ']);
        for lead in ["edited by ", "ed. ", "eds. ", "ed ", "eds "] {
            if t.starts_with(lead) {
                let at = end - t.len() + lead.len();
                if let Some(l) = names::given_first(&text[..end], at) {
                    if out.work.editor.is_empty() {
                        out.work.editor = l.names;
                    }
                    return l.end;
                }
            }
        }
        stop
    }

    /// A parenthesis after the title, its content at `a..b`.
    fn paren(&mut self, a: usize, b: usize) {
        let (text, scan) = (self.text(), &self.scan);
        let st = &mut self.st;
        let content = text[a..b].trim();
        let w = &mut self.out.work;
        if content.is_empty() {
            return;
        }
        let lower = content.to_ascii_lowercase();
        if matches!(lower.as_str(), "eds." | "ed." | "eds" | "ed") {
            return;
        }
        if let Some(d) = whole_date(content) {
            if w.issued.is_none() && !d.date_parts.is_empty() {
                if d.date_parts[0].len() == 3 {
                    st.day_date_in_paren = true;
                }
                w.issued = Some(d);
            }
            return;
        }
        if is_page_range(content) && !year_range(content) {
            set_if_none(&mut w.page, &dash_norm(content));
            return;
        }
        if w.volume.is_some()
            && w.issue.is_none()
            && content.len() <= 12
            && content.chars().any(|c| c.is_ascii_digit())
            && !content.contains(' ')
        {
            w.issue = Some(dash_norm(content));
            return;
        }
        // `Place: Publisher, Date`
        if let Some(colon) = scan.find_at(a, b, ":", 1) {
            let place = text[a..colon].trim();
            // not an identifier's colon (`arXiv:0709.2766`, `ISBN:0-19`)
            if !place.is_empty()
                && !text[colon + 1..].starts_with(|c: char| c.is_ascii_digit())
                && place.split_whitespace().count() <= 5
                && !place.contains(['“', '"'])
            {
                st.had_paren_facts = true;
                // `(Delhi: Digital Asia Hub, n.d.)`: no date, as the style prints it
                let right = text[colon + 1..b].trim();
                let right = right
                    .strip_suffix("n.d.")
                    .or_else(|| right.strip_suffix("n.d"))
                    .map_or(right, |r| r.trim_end().trim_end_matches(',').trim_end());
                set_place_if_none(&mut w.publisher_place, place);
                let (publisher, date) = match trailing_date(right) {
                    Some((k, d)) => (right[..k].trim().trim_end_matches(',').trim(), Some(d)),
                    None => (right, None),
                };
                if let Some(d) = date {
                    if d.date_parts.first().is_some_and(|p| p.len() == 3) {
                        st.day_date_in_paren = true;
                    }
                    if w.issued.is_none() && !d.date_parts.is_empty() {
                        w.issued = Some(d);
                    }
                }
                set_if_none(&mut w.publisher, publisher);
                return;
            }
        }
        // comma parts (the depth inside the parenthesis is 1): series, pages, volume, publisher, date
        let mut k2 = a;
        let mut pieces = Vec::new();
        let bytes = text.as_bytes();
        for c in a..=b {
            if c == b || (bytes[c] == b',' && scan.depth(c) <= 1) {
                pieces.push(text[k2..c].trim());
                k2 = c + 1;
            }
        }
        // `(PhD diss., Computing Science Department, Uppsala University, 1990)`: the genre, then
        // the institution that grants the degree or issues the paper (all of it), then the date
        if pieces.len() > 1 && is_genre(&pieces[0].to_ascii_lowercase()) {
            st.had_paren_facts = true;
            set_if_none(&mut w.genre, pieces[0]);
            let mut by = Vec::new();
            for piece in &pieces[1..] {
                match whole_date(piece) {
                    Some(d) if !d.date_parts.is_empty() => {
                        w.issued.get_or_insert(d);
                    }
                    _ if !piece.is_empty() => by.push(*piece),
                    _ => {}
                }
            }
            if !by.is_empty() {
                set_if_none(&mut w.publisher, &by.join(", "));
            }
            return;
        }
        // `Site, 23 January 2017` as one: a date at the end
        if let Some((k, d)) = trailing_date(content) {
            if k > 0 && !d.date_parts.is_empty() {
                let name = content[..k].trim().trim_end_matches(',').trim();
                if !name.is_empty()
                    && !name.contains(':')
                    && !name.to_ascii_lowercase().starts_with("pp")
                {
                    if d.date_parts[0].len() == 3 {
                        st.day_date_in_paren = true;
                    }
                    if w.issued.is_none() {
                        w.issued = Some(d);
                    }
                    st.leave(name, true);
                    st.had_paren_facts = true;
                    return;
                }
            }
        }
        // `*Journal* (Menlo Park, California) 365`: in a note, a parenthesis of a place and its
        // state after a periodical's name is one place, not a place and a publisher (a book's
        // publisher follows a colon)
        if self.mode == Mode::Note
            && w.container_title.is_some()
            && !st.in_container
            && w.issued.is_none()
            && pieces.len() == 2
            && pieces.iter().all(|p| {
                p.starts_with(|c: char| c.is_uppercase())
                    && p.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '.')
            })
            && pieces[1].split_whitespace().count() <= 2
        {
            st.leave(content, true);
            st.had_paren_facts = true;
            return;
        }
        // (a date, or `n.d.`)
        let pieces_dated = pieces.last().is_some_and(|p| whole_date(p).is_some());
        for &piece in &pieces {
            let pl = piece.to_ascii_lowercase();
            if pl.starts_with("pp") || pl.starts_with("p.") || pl.starts_with("pages") {
                let v = piece
                    .trim_start_matches(|c: char| c.is_alphabetic() || c == '.')
                    .trim();
                set_if_none(&mut w.page, &dash_norm(v));
            } else if pl.starts_with("vol") {
                let v = piece
                    .trim_start_matches(|c: char| c.is_alphabetic() || c == '.')
                    .trim();
                set_if_none(&mut w.volume, v);
            } else if let Some(label) = ["nos.", "nos ", "no.", "no "]
                .into_iter()
                .find(|l| pl.starts_with(l))
            {
                // `no. 3`, and `nos. 2–3` for issues bound together
                let v = piece[label.len()..].trim();
                set_if_none(&mut w.issue, v);
            } else if let Some(ed) = edition(piece) {
                set_if_none(&mut w.edition, &ed);
            } else if let Some(d) = whole_date(piece) {
                if w.issued.is_none() && !d.date_parts.is_empty() {
                    w.issued = Some(d);
                }
            } else if !piece.is_empty() {
                // `in *Book*, ed. X (University of Pittsburgh Press, n.d.)`: a name before the
                // date closing the parenthesis is the publisher, not a series
                let last_before_date = pieces_dated
                    && pieces.len() == 2
                    && !piece.contains(|c: char| c.is_ascii_digit());
                if !last_before_date
                    && (st.in_container
                        || contains_word(piece, &["series", "studies", "lecture notes"]))
                {
                    st.series.push(piece.to_owned());
                } else {
                    st.leave(piece, true);
                }
            }
        }
    }
}
