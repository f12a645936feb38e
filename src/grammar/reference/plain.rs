//! One plain part of the publication facts: what its words and numbers say it is.

use super::numbers::{
    apply_tail, dash_norm, edition, is_page_range, journal_tail, volume_issue, year_range,
};
use super::words::{contains_word, is_genre, set_if_none, set_place_if_none};
use super::{Mode, ReferenceParser};
use crate::grammar::date::{self, trailing_date, whole_date};
use crate::grammar::names;
use crate::model::Date;

impl ReferenceParser<'_> {
    /// A plain part after the title (between separators at the top level): an editor or translator,
    /// an edition, a volume, issue or pages, a genre, a place and publisher, a journal's numbers, a
    /// date, a series; or text kept for the end ([`ReferenceParser::finish`]).
    pub(super) fn plain(&mut self, part: &str) {
        let t = part.trim();
        if t.is_empty() {
            return;
        }
        let mode = self.mode;
        let st = &mut self.st;
        let w = &mut self.out.work;
        let lower = t.to_ascii_lowercase();
        let after_label = |n: usize| t[n..].trim_start_matches(['.', ' ', ':']).trim();
        for (lead, role) in [
            ("edited by ", 0),
            ("eds. ", 0),
            ("ed. ", 0),
            ("ed ", 0),
            ("translated by ", 1),
            ("trans. ", 1),
            ("transl. ", 1),
            ("tr. ", 1),
        ] {
            if lower.starts_with(lead) {
                let rest = &t[lead.len()..];
                // the names may run on over commas (`ed. A and B`)
                if let Some(l) = names::given_first(rest, 0) {
                    let names = l.names;
                    if role == 0 {
                        if w.editor.is_empty() {
                            w.editor = names;
                        }
                    } else if w.translator.is_empty() {
                        w.translator = names;
                    }
                }
                return;
            }
        }
        if let Some(ed) = edition(t) {
            set_if_none(&mut w.edition, &ed);
            return;
        }
        // newspaper sections, a book's page count (`312 pp.`), a bare month, `Also in`
        if lower.starts_with("sec.")
            || lower.starts_with("section ")
            || lower.starts_with("also in")
        {
            return;
        }
        if let Some((n, unit)) = lower.split_once(' ') {
            if n.chars().all(|c| c.is_ascii_digit())
                && matches!(
                    unit.trim_end_matches('.'),
                    "pp" | "p" | "s" | "pages" | "str"
                )
            {
                return;
            }
        }
        if date::month(t).is_ok_and(|(r, _)| r.trim().is_empty()) {
            return;
        }
        // `Southern Economic Journal pp. 191–204`
        for label in [" pp. ", " p. "] {
            if let Some(k) = t.find(label) {
                let pg = t[k + label.len()..].trim();
                if k > 0 && (is_page_range(pg) || pg.chars().all(|c| c.is_ascii_digit())) {
                    set_if_none(&mut w.page, &dash_norm(pg));
                    let head = t[..k].trim().to_owned();
                    st.leave(head, false);
                    return;
                }
            }
        }
        // `John Wiley and Sons, Inc.`
        if [
            "inc", "inc.", "ltd", "ltd.", "co.", "llc", "gmbh", "s.a.", "plc",
        ]
        .contains(&lower.as_str())
        {
            if let Some(p) = w.publisher.as_mut() {
                p.push_str(", ");
                p.push_str(t.trim_end_matches('.'));
            } else if let Some(last) = st.texts.last_mut() {
                last.text.push_str(", ");
                last.text.push_str(t.trim_end_matches('.'));
            }
            return;
        }
        if lower.starts_with("vol")
            || lower.starts_with("bd.")
            || lower.starts_with("tome ")
            || (lower.starts_with("v. ")
                && t[3..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit() || "IVXLC".contains(c)))
        {
            let v = t
                .trim_start_matches(|c: char| c.is_alphabetic())
                .trim_start_matches(['.', ' ']);
            if let Some((vol, issue)) = volume_issue(v) {
                set_if_none(&mut w.volume, &vol);
                if let Some(i) = issue {
                    set_if_none(&mut w.issue, &i);
                }
            } else {
                set_if_none(&mut w.volume, v);
            }
            return;
        }
        for lead in [
            "nos.", "nos ", "no.", "no ", "nr.", "issue", "iss.", "n°", "n.", "#", "heft",
        ] {
            if lower.starts_with(lead) && {
                let v = t[lead.len()..].trim_start_matches(['.', ' ']);
                v.starts_with(|c: char| c.is_ascii_digit())
                    || (v.starts_with(|c: char| c.is_ascii_uppercase())
                        && v[1..].starts_with(|c: char| c.is_ascii_digit()))
                    // after an unambiguous label, a numbered supplement (`no. Suppl.1`,
                    // `no. Suppl. 2`)
                    || (matches!(lead, "nos." | "no." | "issue" | "iss." | "n°" | "nr.")
                        && v.len() <= 12
                        && v.split_whitespace().count() <= 2
                        && v.contains(|c: char| c.is_ascii_digit()))
            } {
                set_if_none(&mut w.issue, after_label(lead.len()));
                return;
            }
        }
        for lead in ["pp.", "pp", "p.", "pages", "page", "s."] {
            if !lower.starts_with(lead) {
                continue;
            }
            let v = after_label(lead.len());
            if v.starts_with(|c: char| c.is_ascii_digit())
                || (v.len() >= 2
                    && v.starts_with(|c: char| c.is_ascii_uppercase())
                    && v[1..].starts_with(|c: char| c.is_ascii_digit()))
            {
                set_if_none(&mut w.page, &dash_norm(after_label(lead.len())));
                return;
            }
        }
        if [
            "online first",
            "advance online",
            "in press",
            "forthcoming",
            "epub ahead",
            "early view",
            "published online",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
        {
            set_if_none(&mut w.note, t);
            return;
        }
        if is_genre(&lower) || super::words::communication(t).is_some() {
            super::describe(w, t);
            return;
        }
        // `Place: Publisher`
        if let Some(k) = t.find(": ") {
            let place = &t[..k];
            let pub_ = &t[k + 2..];
            let words = place.split_whitespace().count();
            let capitalised = place.split_whitespace().all(|w| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                    || matches!(
                        w,
                        "am" | "upon" | "on" | "de" | "del" | "sur" | "an" | "der"
                    )
            });
            if words <= 4
                && capitalised
                && !pub_.is_empty()
                && !pub_.starts_with(|c: char| c.is_lowercase())
                && !pub_
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '-' || c == '–')
            {
                set_place_if_none(&mut w.publisher_place, place);
                // `Publisher 2005` in one part
                let (pb, d) = match trailing_date(pub_) {
                    Some((k, d)) if k > 0 => (&pub_[..k], Some(d)),
                    _ => (pub_, None),
                };
                set_if_none(&mut w.publisher, pb);
                if let Some(d) = d {
                    if w.issued.is_none() && !d.date_parts.is_empty() {
                        w.issued = Some(d);
                    }
                }
                return;
            }
            // `45:3` vol:issue, `12: 34-56`
        }
        // a law report: `5 U.S. 137`, `410 F.3d 1234`
        if let Some((vol, rest)) = t.split_once(' ') {
            if let Some((reporter, page)) = rest.rsplit_once(' ') {
                if vol.chars().all(|c| c.is_ascii_digit())
                    && page.chars().all(|c| c.is_ascii_digit())
                    && !page.is_empty()
                    && reporter.chars().next().is_some_and(char::is_uppercase)
                    && reporter.contains('.')
                {
                    set_if_none(&mut w.volume, vol);
                    set_if_none(&mut w.container_title, reporter);
                    set_if_none(&mut w.page, page);
                    return;
                }
            }
        }
        if is_page_range(t) && !year_range(t) {
            set_if_none(&mut w.page, &dash_norm(t));
            return;
        }
        // `52 1230-1233`, `2(1) 39-66`: volume and pages
        if let Some((v, pg)) = t.rsplit_once(' ') {
            let single_page =
                pg.len() <= 6 && pg.chars().all(|c| c.is_ascii_digit()) && v.contains('(');
            if let (Some((vol, issue)), true) = (volume_issue(v), is_page_range(pg) || single_page)
            {
                set_if_none(&mut w.volume, &vol);
                if let Some(i) = issue {
                    set_if_none(&mut w.issue, &i);
                }
                set_if_none(&mut w.page, &dash_norm(pg));
                return;
            }
        }
        if let Some(d) = whole_date(t) {
            if !d.date_parts.is_empty() {
                if w.issued.is_none() {
                    w.issued = Some(d);
                }
                return;
            }
        }
        if is_page_range(t) {
            set_if_none(&mut w.page, &dash_norm(t));
            return;
        }
        if t.contains([':', ';']) {
            if let Some(tail) = journal_tail(t) {
                apply_tail(w, tail);
                return;
            }
            // `Journal Name 26: 5988-93`, `J Doc. 2010;66(3):45-67`
            for (k, _) in t.match_indices(' ') {
                let head = t[..k].trim();
                if !head.chars().next().is_some_and(char::is_uppercase) || head.ends_with(':') {
                    continue;
                }
                if let Some(tail) = journal_tail(&t[k + 1..]) {
                    apply_tail(w, tail);
                    if w.container_title.is_none() {
                        w.container_title = Some(head.trim_end_matches(['.', ',']).to_owned());
                    }
                    return;
                }
            }
        }
        if let Some((vol, issue)) = volume_issue(t) {
            if w.volume.is_none()
                && (w.container_title.is_some() || !st.texts.is_empty() || self.out.title_quoted)
            {
                w.volume = Some(vol);
                if let Some(i) = issue {
                    w.issue = Some(i);
                }
            } else if w.page.is_none() && w.volume.is_some() {
                w.page = Some(vol);
            } else if w.volume.is_none() && mode == Mode::Bib {
                w.volume = Some(vol);
                if let Some(i) = issue {
                    w.issue = Some(i);
                }
            }
            return;
        }
        // `Journal Name 45` / `Journal 2005` / `Journal 2 (4)` (the issue comes as a parenthesis)
        if let Some(k) = t.rfind(' ') {
            let tail = &t[k + 1..];
            let mut head = t[..k].trim();
            for label in [" vol.", " Vol.", " vol", " Vol", " v.", " Bd.", " t."] {
                if let Some(h) = head.strip_suffix(label) {
                    head = h.trim_end().trim_end_matches(',');
                }
            }
            if head.chars().next().is_some_and(char::is_uppercase) {
                if let Some((vol, issue)) = volume_issue(tail) {
                    if date::year(tail).is_ok()
                        && tail.len() == 4
                        && crate::grammar::locator::looks_like_year(tail)
                    {
                        if w.issued.is_none() {
                            w.issued = Some(Date::ymd(tail.parse().unwrap_or(0), None, None));
                        }
                    } else {
                        set_if_none(&mut w.volume, &vol);
                        if let Some(i) = issue {
                            set_if_none(&mut w.issue, &i);
                        }
                    }
                    if w.container_title.is_none() {
                        w.container_title = Some(head.to_owned());
                    } else {
                        st.leave(head, false);
                    }
                    return;
                }
                // `Publisher 2005`
                if let Some((dk, d)) = trailing_date(t) {
                    if dk > 0 && !d.date_parts.is_empty() {
                        if w.issued.is_none() {
                            w.issued = Some(d);
                        }
                        st.leave(t[..dk].trim().trim_end_matches(','), false);
                        return;
                    }
                }
            }
        }
        if contains_word(t, &["series"]) {
            st.series.push(t.to_owned());
            return;
        }
        st.leave(t, false);
    }
}
