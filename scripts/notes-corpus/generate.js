#!/usr/bin/env node
// Generates fixtures/notes-corpus/ (issue #13): manuscripts of CORRECT Chicago 17 notes (full,
// short, Ibid.) rendered by citeproc-js from CSL items, and copies of them with single-error
// mutations. Deterministic: a seeded PRNG, a hash split, inputs read in file order.
// See README.md in this folder.
'use strict';

const fs = require('fs');
const path = require('path');
const CSL = require('citeproc');

const ROOT = path.resolve(__dirname, '../..');
const SHARED = path.resolve(ROOT, '../shared');
const OUT = path.join(ROOT, 'fixtures/notes-corpus');
const STYLE_FILE = 'chicago-notes-bibliography-subsequent-ibid-17th-edition.csl';
const STYLE = fs.readFileSync(path.join(ROOT, 'styles', STYLE_FILE), 'utf8');
const LOCALE = fs.readFileSync(path.join(ROOT, 'styles/locales-en-US.xml'), 'utf8');
const SEED = 13;
const ANYSTYLE_QUOTA = {
  'article-journal': 95,
  book: 80,
  chapter: 45,
  thesis: 12,
  report: 10,
  'article-newspaper': 10,
  webpage: 10,
};

// ---------------------------------------------------------------- determinism

function mulberry32(a) {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
function shuffle(xs) {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
// FNV-1a, 32 bits: the held-out split is `fnv1a(id) % 5 == 0` (20%).
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
const splitOf = (id) => (fnv1a(id) % 5 === 0 ? 'heldout' : 'dev');

// ---------------------------------------------------------------- rendering

// One engine (building one parses the style, which is slow); each render hands it its own items
// under fresh ids, so nothing the engine caches about an item outlives the render.
let engine = null;
let current = {};
let renders = 0;
function render(items, citations) {
  renders += 1;
  const tag = `~${renders}`;
  current = Object.fromEntries(items.map((i) => [i.id + tag, { ...i, id: i.id + tag }]));
  if (!engine) engine = new CSL.Engine({ retrieveLocale: () => LOCALE, retrieveItem: (id) => current[id] }, STYLE, 'en-US');
  const tagged = citations.map((c) => ({ ...c, citationItems: c.citationItems.map((ci) => ({ ...ci, id: ci.id + tag })) }));
  const out = engine.rebuildProcessorState(tagged, 'html', []);
  return out.map((o) => o[2]);
}

function htmlToMarkdown(s) {
  if (/<(?!\/?i>)/.test(s)) return null; // markup Markdown cannot carry simply
  if (/<i><\/i>/.test(s)) return null;
  const md = s
    .replace(/<\/?i>/g, '*')
    .replace(/&#38;|&amp;/g, '&')
    .replace(/&#60;|&lt;/g, '<')
    .replace(/&#62;|&gt;/g, '>')
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;/g, "'");
  if (/&#?\w+;/.test(md)) return null;
  return md;
}

// ---------------------------------------------------------------- AnyStyle -> CSL

const TRAIL = /[\s.,;:]+$/;
const clean = (s) =>
  s
    .replace(/\s+/g, ' ')
    .replace(/^[\s(“”"‘’'[]+/, '')
    .replace(/[\s)”"’'\]]+$/, '')
    .replace(TRAIL, '')
    .trim();
// Strip trailing punctuation but keep the period of a final initial ("R. C.").
function stripEnd(s) {
  s = s.trim().replace(/[,;:]+$/, '').trim();
  if (/\.$/.test(s) && !/(^|[\s.])[A-Z]\.$/.test(s)) s = s.slice(0, -1);
  return s.trim();
}

const WORD = "[A-ZÀ-Þ][a-zß-ÿ'’]+(?:-[A-ZÀ-Þ]?[a-zß-ÿ'’]+)?";
const FAMILY_RE = new RegExp(`^(?:Mc|Mac|O’|O')?${WORD}$`);
const GIVEN_RE = new RegExp(`^(?:(?:[A-Z]\\.(?:-?[A-Z]\\.)?|${WORD})(?: |$))+$`);

function parseNames(raw) {
  let s = stripEnd(raw.replace(/\s+/g, ' '));
  if (!s || /et al|—|–|\(|\)|\d|\/|\bed\b|\beds\b|\bEds?\b|\[|\]|;/.test(s)) return null;
  if (/\b[A-Z]{3,}\b/.test(s)) return null;
  s = s.replace(/,?\s*(?:&|\band\b)\s*/g, ', ');
  const parts = s
    .split(/\s*,\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  const names = [];
  let i = 0;
  const inverted = !parts[0].includes(' ') || (parts.length > 1 && /^([A-Z]\. ?)+$/.test(parts[1]));
  if (inverted) {
    // "Family, Given[, Family, Given ...]" (APA) or "Family, Given, Given Family, and Given Family"
    while (i < parts.length) {
      const fam = parts[i];
      const giv = parts[i + 1];
      if (giv === undefined) return null;
      if (i > 0 && fam.includes(' ')) break; // the rest are direct
      names.push({ family: fam, given: giv });
      i += 2;
    }
  }
  for (; i < parts.length; i++) {
    const toks = parts[i].split(' ');
    if (toks.length < 2) return null;
    names.push({ family: toks[toks.length - 1], given: toks.slice(0, -1).join(' ') });
  }
  if (names.length === 0 || names.length > 5) return null;
  for (const n of names) {
    n.given = n.given.replace(/([A-Z]\.)(?=[A-Z])/g, '$1 ');
    if (!FAMILY_RE.test(n.family) || !GIVEN_RE.test(n.given)) return null;
  }
  return names;
}

function parseTitle(raw) {
  let t = raw.replace(/\s+/g, ' ').trim();
  t = t.replace(/^["“‘'«]+/, '').replace(/[,.]?["”’'»]+[,.]?$/, '');
  t = t.replace(/[,.;:]+$/, '').trim();
  if (/[*_[\]<>|\\{}"“”]|http|www\.|\w- /.test(t)) return null;
  // English titles only: citeproc title-cases a title of an item with no language, which is
  // right for English and wrong for the rest.
  if (/(^|\s)(de|des|du|et|la|le|les|un|une|und|der|die|das|el|los|las|y|del|il|di|och|och|för|och|para|sur|zur|zum|im|dans|pour|à|è)(\s|$)|\b[dl]’|[dl]'/i.test(t)) return null;
  if (!/^[A-Za-zÀ-ÿ0-9 ,.:;?!'’‘\-–&()/]+$/.test(t) || /\w{2,}\. /.test(t)) return null;
  const words = t.split(' ');
  if (words.length < 2 || words.length > 22) return null;
  if (!/[a-z]/.test(t) || t === t.toUpperCase()) return null;
  if (!/^[A-ZÀ-Þ0-9‘']/.test(t)) return null;
  if (/\bet al\b|\bpp?\.|\bvol\.|\bIn:|\bEds?\.|\bed\.|\bProc\b/i.test(t)) return null;
  return t;
}

function parseYearDate(raw, full) {
  const s = raw.replace(/\s+/g, ' ');
  const years = s.match(/\b(1[6-9]\d\d|20[0-2]\d)[a-z]?\b/g);
  if (!years || years.length !== 1) return null;
  const year = parseInt(years[0], 10);
  if (/[a-z]$/.test(years[0])) return null; // "2014b"
  if (!full) return { 'date-parts': [[year]] };
  const months = 'january february march april may june july august september october november december'.split(' ');
  const m = s.toLowerCase().match(/(january|february|march|april|may|june|july|august|september|october|november|december)\s*(\d{1,2})?/);
  if (!m) return { 'date-parts': [[year]] };
  const parts = [year, months.indexOf(m[1]) + 1];
  if (m[2]) parts.push(parseInt(m[2], 10));
  return { 'date-parts': [parts] };
}

function parseVolume(raw) {
  const s = raw.trim().replace(/[,.:;]+$/, '');
  const m = s.match(/^(?:vol\.?\s*)?(\d{1,4})\s*(?:\((\d{1,3})\)|,\s*no\.?\s*(\d{1,3}))?$/i);
  if (!m) return null;
  return { volume: m[1], issue: m[2] || m[3] };
}

function parsePages(raw) {
  const s = raw
    .trim()
    .replace(/^(pp?\.|pages?)\s*/i, '')
    .replace(/[,.;:]+$/, '')
    .trim();
  let m = s.match(/^(\d{1,5})\s*[-–—]+\s*(\d{1,5})$/);
  if (m) {
    let a = m[1];
    let b = m[2];
    if (b.length < a.length) b = a.slice(0, a.length - b.length) + b;
    if (+b <= +a || +b - +a > 200) return null;
    return { first: +a, last: +b, page: `${a}-${b}` };
  }
  m = s.match(/^(\d{1,5})$/);
  if (m) return { first: +m[1], last: +m[1], page: m[1] };
  return null;
}

function parsePlain(raw, { allowDigits = false } = {}) {
  const s = clean(raw);
  if (!s || /[*_[\]<>|:;()]/.test(s) || (!allowDigits && /\d/.test(s))) return null;
  if (!/^[A-ZÀ-Þ]/.test(s) || s.length > 70) return null;
  return s;
}

function parseEditors(raw) {
  let s = raw
    .replace(/\s+/g, ' ')
    .replace(/^\(?\s*(in|In:?)\s+/, '')
    .replace(/^(edited by|ed\.|eds\.)\s*/i, '')
    .replace(/,?\s*\(?(eds?\.?|editors?)\)?[.,]*\)?\s*$/i, '')
    .replace(/^\(|\)$/g, '');
  return parseNames(s);
}

function parseTranslators(raw) {
  const s = raw.replace(/\s+/g, ' ').replace(/^(translated by|trans\.)\s*/i, '');
  return parseNames(s);
}

function toCsl(rec) {
  const f = rec.fields;
  const one = (k) => (f[k] && f[k].length === 1 ? f[k][0] : f[k] ? null : undefined);
  const bad = ['citation-number', 'collection-title', 'isbn', 'source', 'director', 'medium', 'producer', 'note', 'doi'];
  for (const k of Object.keys(f)) if (f[k].length !== 1 && k !== 'citation-number') return null;
  for (const k of bad) if (k !== 'citation-number' && f[k]) return null;
  if (f.edition) return null;
  const id = 'as-' + rec.id.replace('.xml:', '-');
  const item = { id };
  if (!one('author') || !one('title') || !one('date')) return null;
  item.author = parseNames(one('author'));
  item.title = parseTitle(one('title'));
  if (!item.author || !item.title) return null;
  const genre = one('genre');
  const journal = one('journal');
  const container = one('container-title');
  const publisher = one('publisher');
  const location = one('location');
  const url = one('url');
  if (genre === null || journal === null || container === null || publisher === null || location === null) return null;
  const pub = publisher !== undefined ? parsePlain(publisher) : undefined;
  const loc = location !== undefined ? parsePlain(location) : undefined;
  if (pub === null || loc === null) return null;
  if (f.editor) {
    item.editor = parseEditors(one('editor') || '');
    if (!item.editor) return null;
  }
  if (f.translator) {
    item.translator = parseTranslators(one('translator') || '');
    if (!item.translator) return null;
  }
  const pages = f.pages ? parsePages(one('pages') || '') : undefined;
  if (pages === null) return null;

  if (genre !== undefined) {
    if (/diss|thesis/i.test(genre)) {
      if (!pub || f.volume || journal || container) return null;
      item.type = 'thesis';
      item.genre = /master|\bMA\b/i.test(genre) ? 'Master’s thesis' : 'PhD diss.';
      item.publisher = pub;
    } else if (/^(technical report|tech\. rep\.)[,.]?$/i.test(genre.trim())) {
      if (!pub || journal || container) return null;
      item.type = 'report';
      item.genre = 'Technical report';
      item.publisher = pub;
      if (loc) item['publisher-place'] = loc;
    } else return null;
    item.issued = parseYearDate(one('date'), false);
  } else if (journal !== undefined) {
    const j = parsePlain(journal, { allowDigits: false });
    if (!j || j.split(' ').length < 2 || /\./.test(j)) return null;
    if (pub || loc || item.editor || container) return null;
    item['container-title'] = j;
    if (f.volume) {
      const v = parseVolume(one('volume') || '');
      if (!v || !pages || pages.first === pages.last) return null;
      item.type = 'article-journal';
      item.volume = v.volume;
      if (v.issue) item.issue = v.issue;
      item.page = pages.page;
      item.issued = parseYearDate(one('date'), false);
    } else {
      const d = parseYearDate(one('date'), true);
      if (!d || d['date-parts'][0].length < 3) return null;
      if (!/\b(Times|Post|Tribune|Herald|News|Guardian|Gazette|Chronicle|Journal|Globe|Observer|Telegraph|Daily|Sun|Star)\b/.test(j)) return null;
      item.type = 'article-newspaper';
      item.issued = d;
    }
  } else if (container !== undefined) {
    const inForm = /^\(?\s*in\b/i.test(container) || item.editor;
    const c = parseTitle(container.replace(/^\(?\s*(in|In:)\s+/, ''));
    if (c && /^In\b/.test(c)) return null;
    if (!c || !inForm || !pub || f.volume) return null;
    item.type = 'chapter';
    item['container-title'] = c;
    item.publisher = pub;
    if (loc) item['publisher-place'] = loc;
    if (pages) item.page = pages.page;
    item.issued = parseYearDate(one('date'), false);
  } else if (pub !== undefined) {
    if (f.volume || pages) return null;
    item.type = 'book';
    item.publisher = pub;
    if (loc) item['publisher-place'] = loc;
    item.issued = parseYearDate(one('date'), false);
  } else if (url !== undefined) {
    const u = (url || '').trim().replace(/[.,]$/, '');
    if (!/^https?:\/\/[^\s*_<>]+$/.test(u) || f.volume || pages) return null;
    item.type = 'webpage';
    item.URL = u;
    item.issued = parseYearDate(one('date'), false);
  } else return null;
  if (url !== undefined && item.type !== 'webpage') return null;
  if (!item.issued) return null;
  return item;
}

function anystyleItems() {
  const all = [];
  for (const name of ['gold', 'core']) {
    const file = path.join(SHARED, 'corpus/anystyle', name + '.jsonl');
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (line.trim()) all.push(JSON.parse(line));
    }
  }
  const seen = new Set();
  const byType = {};
  for (const rec of all) {
    const item = toCsl(rec);
    if (!item) continue;
    const key = item.title.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    (byType[item.type] = byType[item.type] || []).push(item);
  }
  const chosen = [];
  const available = {};
  for (const [type, quota] of Object.entries(ANYSTYLE_QUOTA)) {
    const xs = (byType[type] || []).slice().sort((a, b) => fnv1a(a.id) - fnv1a(b.id) || (a.id < b.id ? -1 : 1));
    available[type] = xs.length;
    chosen.push(...xs.slice(0, quota));
  }
  return { chosen, available };
}

// ---------------------------------------------------------------- short titles

const ARTICLES = /^(the|a|an)\s+/i;
const FUNCTION_WORDS = new Set('a an the of and or nor but in on at to for with from by as into about under over between among against toward towards through via within without upon during after before than like its their his her our your this that these those'.split(' '));

// CMOS 14.32: a short title of no more than four words, from the main title (subtitle and an
// initial article dropped), its words in order. Returns undefined when the title is short already.
function shortTitle(title) {
  let main = title.split(/[:?!]\s/)[0];
  if (/[?!]/.test(title.slice(main.length, main.length + 1))) main += title[main.length];
  main = main.replace(ARTICLES, '');
  let words = main.split(/\s+/);
  if (words.length > 4) {
    words = words.slice(0, 4);
    const weak = (w) => FUNCTION_WORDS.has(w.toLowerCase().replace(/[,;]$/, '')) || /[’']s?$/.test(w);
    while (words.length > 1 && weak(words[words.length - 1])) words.pop();
    words[words.length - 1] = words[words.length - 1].replace(/[,;]$/, '');
  }
  const short = words.join(' ');
  return short === title ? undefined : short;
}

// ---------------------------------------------------------------- sequences

const NO_LOCATOR = new Set(['webpage', 'personal_communication', 'interview', 'article-newspaper', 'post-weblog']);

function locatorFor(item) {
  if (NO_LOCATOR.has(item.type)) return undefined;
  let lo = 1 + Math.floor(rand() * 300);
  let hi = lo + 400;
  if (item.page) {
    const [a, b] = item.page.split('-').map(Number);
    lo = a;
    hi = b || a;
  }
  const p = lo + Math.floor(rand() * (hi - lo + 1));
  if (rand() < 0.25 && p + 1 <= hi) {
    const q = Math.min(hi, p + 1 + Math.floor(rand() * 4));
    return `${p}-${q}`;
  }
  return String(p);
}

function otherLocator(item, loc) {
  for (let k = 0; k < 10; k++) {
    const l = locatorFor(item);
    if (l !== loc) return l;
  }
  return undefined;
}

// A manuscript: the first note of each work (full), sometimes an Ibid. after it, then each work
// again after others intervened (short), sometimes an Ibid. after that.
function sequenceFor(works) {
  const cites = [];
  const push = (item, locator, kind) => cites.push({ item, locator, kind });
  for (const w of works) {
    const loc = locatorFor(w);
    push(w, loc, 'full');
    if (rand() < 0.35) {
      const same = loc === undefined || rand() < 0.4;
      push(w, same ? loc : otherLocator(w, loc), 'ibid');
    }
  }
  let again = shuffle(works);
  if (again[0] === works[works.length - 1]) again = again.slice(1).concat(again.slice(0, 1));
  for (const w of again) {
    const loc = rand() < 0.15 ? undefined : locatorFor(w);
    push(w, loc, 'short');
    if (rand() < 0.2) {
      const same = loc === undefined || rand() < 0.4;
      push(w, same ? loc : otherLocator(w, loc), 'ibid');
    }
  }
  return cites;
}

function citationsOf(cites) {
  return cites.map((c, k) => ({
    citationID: 'c' + (k + 1),
    citationItems: [c.locator ? { id: c.item.id, locator: c.locator, label: 'page' } : { id: c.item.id }],
    properties: { noteIndex: k + 1 },
  }));
}

// ---------------------------------------------------------------- mutations


// Each returns the mutated Markdown text of the note, or null when the kind does not apply.
const MUTATIONS = {
  place_publisher_swap(t, n) {
    if (n.kind !== 'full') return null;
    const m = t.match(/\(([^():]+): ([^():]+), (\d{4}|n\.d\.)\)/);
    if (!m || m[1] === m[2]) return null;
    return t.replace(m[0], `(${m[2]}: ${m[1]}, ${m[3]})`);
  },
  short_full_title(t, n, alt) {
    if (n.kind !== 'short') return null;
    const a = alt.fullTitle[n.index];
    return a && a !== t ? a : null;
  },
  ibid_bare(t, n) {
    return n.kind === 'ibid' && t === 'Ibid.' ? 'Ibid' : null;
  },
  ibid_comma(t, n) {
    return n.kind === 'ibid' && t.startsWith('Ibid., ') ? 'Ibid, ' + t.slice(7) : null;
  },
  missing_final_period(t, n) {
    if (n.kind === 'ibid' || !/[\d*)]\.$/.test(t)) return null;
    return t.slice(0, -1);
  },
  period_outside_quote(t) {
    return /[^’]\.”$/.test(t) ? t.slice(0, -2) + '”.' : null;
  },
  comma_outside_quote(t) {
    const m = t.match(/[\w?)],”/);
    if (!m) return null;
    const at = m.index + 1;
    return t.slice(0, at) + '”,' + t.slice(at + 2);
  },
  hyphen_range(t) {
    const m = t.match(/(\d+)–(\d+)\.$/);
    return m ? t.slice(0, m.index) + `${m[1]}-${m[2]}.` : null;
  },
  missing_comma_before_page(t) {
    let m = t.match(/([)*]), (\d+(?:–\d+)?\.)$/);
    if (m) return t.slice(0, m.index) + `${m[1]} ${m[2]}`;
    m = t.match(/,” (\d+(?:–\d+)?\.)$/);
    if (m) return t.slice(0, m.index) + `” ${m[1]}`;
    return null;
  },
  quotes_for_italics(t) {
    const m = t.match(/\*([^*]+)\*(,?)/);
    if (!m) return null;
    return t.replace(m[0], `“${m[1]}${m[2]}”`);
  },
  italics_for_quotes(t) {
    const m = t.match(/“([^“”‘’]+?)([,.]?)”/);
    if (!m) return null;
    return t.replace(m[0], `*${m[1]}*${m[2]}`);
  },
  apa_volume_issue(t, n) {
    if (n.kind !== 'full') return null;
    const m = t.match(/(\*[^*]+\*) (\d+), no\. (\d+) \(/);
    return m ? t.replace(m[0], `${m[1]} ${m[2]}(${m[3]}) (`) : null;
  },
  type_confusion(t, n, alt) {
    if (n.kind !== 'full') return null;
    const a = alt.otherType[n.index];
    return a && a !== t ? a : null;
  },
};

// The type a writer mistakes a work's type for (the work typed as another).
const CONFUSED_TYPE = {
  thesis: 'book',
  'article-newspaper': 'article-journal',
  'article-magazine': 'article-journal',
  personal_communication: 'manuscript',
  report: 'book',
  webpage: 'article-journal',
  chapter: 'article-journal',
};

// ---------------------------------------------------------------- main

function main() {
  const seedItems = JSON.parse(fs.readFileSync(path.join(SHARED, 'fixtures/oracle/essay-internet-governance.items.json'), 'utf8')).map(
    (i) => {
      const c = { ...i, id: 'seed-' + i.id };
      delete c.note;
      return c;
    },
  );
  const hand = JSON.parse(fs.readFileSync(path.join(__dirname, 'hand-items.json'), 'utf8'));
  const { chosen, available } = anystyleItems();
  let items = [...seedItems, ...hand, ...chosen];
  for (const it of items) {
    const s = it.title && shortTitle(it.title);
    if (s && !it['title-short']) it['title-short'] = s;
  }
  // Keep the items whose full and short notes Markdown can carry.
  {
    const probe = [...items.map((item) => ({ item, locator: '5' })), ...items.map((item) => ({ item, locator: '6' }))];
    const notes = render(items, citationsOf(probe));
    const ok = items.map((_, k) => htmlToMarkdown(notes[k]) !== null && htmlToMarkdown(notes[k + items.length]) !== null);
    items = items.filter((_, k) => ok[k]);
  }

  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(path.join(OUT, 'correct'), { recursive: true });
  fs.mkdirSync(path.join(OUT, 'mutated'), { recursive: true });

  const stats = { items: {}, notes: {}, mutations: {}, manuscripts: { dev: 0, heldout: 0 } };
  const mutationCount = Object.fromEntries(Object.keys(MUTATIONS).map((k) => [k, 0]));
  let number = 0;
  for (const split of ['dev', 'heldout']) {
    const pool = shuffle(items.filter((i) => splitOf(i.id) === split));
    for (let at = 0; at < pool.length; ) {
      const size = Math.min(pool.length - at, 10 + Math.floor(rand() * 7));
      const works = pool.slice(at, at + size);
      at += size;
      number += 1;
      const name = String(number).padStart(3, '0');
      stats.manuscripts[split] += 1;
      const cites = sequenceFor(works);
      const citations = citationsOf(cites);
      const html = render(works, citations);
      const fullTitle = render(
        works.map((w) => {
          const c = { ...w };
          delete c['title-short'];
          return c;
        }),
        citations,
      ).map(htmlToMarkdown);
      const otherType = render(
        works.map((w) => (CONFUSED_TYPE[w.type] ? { ...w, type: CONFUSED_TYPE[w.type] } : w)),
        citations,
      ).map(htmlToMarkdown);
      const notes = cites.map((c, k) => {
        const text = htmlToMarkdown(html[k]);
        const kind = text.startsWith('Ibid') ? 'ibid' : c.kind === 'ibid' ? 'short' : c.kind;
        return { id: String(k + 1), index: k, kind, type: c.item.type, item: c.item.id, text };
      });
      for (const n of notes) {
        stats.notes[n.kind] = (stats.notes[n.kind] || 0) + 1;
      }
      for (const w of works) stats.items[w.type] = (stats.items[w.type] || 0) + 1;

      // mutations: about one note in three, never two neighbours, kinds balanced over the corpus
      const mutated = notes.map((n) => n.text);
      const muts = [];
      const alt = { fullTitle, otherType };
      const target = Math.round(notes.length / 3);
      for (const n of shuffle(notes)) {
        if (muts.length >= target) break;
        if (muts.some((m) => Math.abs(m.index - n.index) <= 1)) continue;
        const options = Object.keys(MUTATIONS)
          .map((kind) => [kind, MUTATIONS[kind](n.text, n, alt)])
          .filter(([, t]) => t && t !== n.text);
        if (!options.length) continue;
        const least = Math.min(...options.map(([k]) => mutationCount[k]));
        const [kind, text] = pick(options.filter(([k]) => mutationCount[k] === least));
        mutationCount[kind] += 1;
        mutated[n.index] = text;
        muts.push({ index: n.index, id: n.id, kind, note_kind: n.kind, type: n.type, item: n.item, correct: n.text });
      }
      muts.sort((a, b) => a.index - b.index);
      for (const m of muts) delete m.index;

      fs.writeFileSync(path.join(OUT, 'correct', name + '.md'), manuscript(name, notes.map((n) => n.text)));
      fs.writeFileSync(path.join(OUT, 'mutated', name + '.md'), manuscript(name, mutated));
      const sidecar = {
        manuscript: name,
        split,
        style: 'chicago-17-ibid',
        notes: notes.map(({ id, kind, type, item, text }) => ({ id, kind, type, item, text })),
      };
      fs.writeFileSync(path.join(OUT, 'correct', name + '.json'), jsonLines(sidecar, 'notes'));
      fs.writeFileSync(path.join(OUT, 'mutated', name + '.json'), jsonLines({ manuscript: name, split, mutations: muts }, 'mutations'));
    }
  }
  stats.mutations = mutationCount;
  stats.anystyle_available = available;
  fs.writeFileSync(path.join(OUT, 'items.json'), jsonLines({ engine: 'citeproc-js ' + CSL.PROCESSOR_VERSION, style: STYLE_FILE, seed: SEED, items }, 'items'));
  fs.writeFileSync(path.join(OUT, 'stats.json'), JSON.stringify(stats, null, 1) + '\n');
  console.log(JSON.stringify(stats));
}

// One object per line inside the array `key`, so that diffs stay readable and files small.
function jsonLines(obj, key) {
  const head = Object.entries(obj)
    .filter(([k]) => k !== key)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const rows = obj[key].map((x) => '  ' + JSON.stringify(x));
  return `{${head.join(', ')},\n ${JSON.stringify(key)}: [\n${rows.join(',\n')}\n]}\n`;
}

function manuscript(name, texts) {
  const body = [];
  let para = [];
  texts.forEach((_, k) => {
    para.push(`Claim ${k + 1}.[^${k + 1}]`);
    if (para.length === 5 || k === texts.length - 1) {
      body.push(para.join(' '));
      para = [];
    }
  });
  const defs = texts.map((t, k) => `[^${k + 1}]: ${t}`);
  return `# Notes corpus, manuscript ${name}\n\n${body.join('\n\n')}\n\n${defs.join('\n')}\n`;
}

main();
