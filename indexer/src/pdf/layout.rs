//! From positioned glyphs to page text: words, lines, columns and paragraphs.
//!
//! The steps follow poppler's `TextOutputDev` where its choices are known to work, so that our
//! output is comparable with `pdftotext`:
//! 1. words, in content order: a glyph continues the current word unless it is a whitespace
//!    glyph, or it sits more than 0.1 em after or 0.2 em before the word's end, or off its
//!    baseline; accents drawn as separate glyphs become combining marks on their letter;
//! 2. duplicated words (fake bold, shadows) are dropped;
//! 3. lines: words on one baseline (sub- and superscripts included), split into fragments at
//!    wide gaps;
//! 4. reading order: a recursive XY cut over the fragments, where horizontal bands sharing a
//!    column gutter are cut as columns, so multi-column pages read column by column;
//! 5. paragraphs from vertical spacing, hyphenated line ends joined.
//!
//! Within a line, a space separates two words when their gap is at least 3% of the font size
//! (wider when every word is a single letter, for letter-spaced text), as pdftotext decides.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;

use super::content::{Glyph, PageGlyphs};

/// One output line, before normalisation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) font_size: f32,
    /// Baseline distance from the top of the page (upright text).
    pub(crate) top: f32,
    pub(crate) bold: bool,
    /// First line of a new block (paragraph or column).
    pub(crate) block_start: bool,
    /// The text with a space before each superscript glued to the word before it (an
    /// affiliation mark, `Eddelbuettel` + `a`), when there is one: what metadata reads, so
    /// that names come out without their marks. The page text keeps them glued, as pdftotext.
    pub(crate) marks_apart: Option<String>,
}

#[derive(Debug, Clone, Copy)]
struct Word {
    x0: f32,
    x1: f32,
    base: f32,
    fs: f32,
    start: u32,
    end: u32,
    glyphs: u32,
    bold: u32,
}

/// Builds words from glyphs in content order.
struct WordBuilder<'p> {
    page: &'p PageGlyphs,
    buf: String,
    words: Vec<Word>,
    cur: Option<Word>,
    /// Last glyph of the current word: box, text offset in `buf`, text.
    last_x0: f32,
    last_x1: f32,
    last_start: u32,
    last_char: Option<char>,
}

fn accent_combining(c: char) -> Option<char> {
    Some(match c {
        '\u{B4}' | '\u{2CA}' => '\u{301}',
        '`' | '\u{2CB}' => '\u{300}',
        '\u{2C6}' => '\u{302}',
        '\u{2DC}' => '\u{303}',
        '\u{A8}' => '\u{308}',
        '\u{2D8}' => '\u{306}',
        '\u{2DA}' => '\u{30A}',
        '\u{B8}' => '\u{327}',
        '\u{2D9}' => '\u{307}',
        '\u{AF}' | '\u{2C9}' => '\u{304}',
        '\u{2DD}' => '\u{30B}',
        '\u{2C7}' => '\u{30C}',
        '\u{2DB}' => '\u{328}',
        _ => return None,
    })
}

fn single_char(s: &str) -> Option<char> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

impl<'p> WordBuilder<'p> {
    fn end_word(&mut self) {
        if let Some(w) = self.cur.take() {
            if w.end > w.start {
                self.words.push(w);
            }
        }
        self.last_char = None;
    }

    fn start_word(&mut self, g: &Glyph, t: &str) {
        let start = self.buf.len() as u32;
        self.buf.push_str(t);
        self.cur = Some(Word {
            x0: g.x0,
            x1: g.x1,
            base: g.base,
            fs: g.fs,
            start,
            end: self.buf.len() as u32,
            glyphs: 1,
            bold: u32::from(g.bold),
        });
        self.set_last(g, start, t);
    }

    fn set_last(&mut self, g: &Glyph, start: u32, t: &str) {
        self.last_x0 = g.x0;
        self.last_x1 = g.x1;
        self.last_start = start;
        self.last_char = single_char(t);
    }

    fn add(&mut self, g: &Glyph) {
        let t = self.page.text_of(g);
        if g.space {
            self.end_word();
            return;
        }
        let Some(w) = self.cur else {
            self.start_word(g, t);
            return;
        };
        let c = single_char(t);
        let mid = (g.x0 + g.x1) / 2.0;
        let dbase = (g.base - w.base).abs();

        // A combining mark or spacing accent over the previous letter joins it.
        if let Some(c) = c {
            let comb = if is_combining_mark(c) {
                let slack = 0.5 * w.fs;
                (mid >= self.last_x0 - slack && mid <= self.last_x1 + slack && dbase < 0.6 * w.fs)
                    .then_some(c)
            } else {
                accent_combining(c).filter(|_| {
                    mid >= self.last_x0
                        && mid <= self.last_x1
                        && dbase < 0.6 * w.fs
                        && self.last_char.is_some_and(char::is_alphabetic)
                })
            };
            if let Some(comb) = comb {
                if self.last_char == Some('ı') {
                    self.buf.truncate(self.last_start as usize);
                    self.buf.push('i');
                }
                self.buf.push(comb);
                let w = self.cur.as_mut().expect("current word");
                w.end = self.buf.len() as u32;
                self.last_char = None;
                return;
            }
        }
        // A letter under the spacing accent just drawn: the accent becomes its combining mark.
        if let Some(acc) = self.last_char.and_then(accent_combining) {
            let last_mid = (self.last_x0 + self.last_x1) / 2.0;
            if c.is_some_and(char::is_alphabetic)
                && last_mid >= g.x0
                && last_mid <= g.x1
                && dbase < 0.6 * w.fs
            {
                self.buf.truncate(self.last_start as usize);
                let start = self.buf.len() as u32;
                let letter = if c == Some('ı') { "i" } else { t };
                self.buf.push_str(letter);
                self.buf.push(acc);
                let w = self.cur.as_mut().expect("current word");
                w.end = self.buf.len() as u32;
                if w.start == start {
                    // The word was only the accent, raised above the letter (TeX capitals,
                    // math): it now sits where its letter does, as in pdftotext.
                    w.x0 = g.x0;
                    w.x1 = g.x1;
                    w.base = g.base;
                    w.fs = g.fs;
                    w.bold = 0;
                }
                w.x0 = w.x0.min(g.x0);
                w.x1 = w.x1.max(g.x1);
                w.bold += u32::from(g.bold);
                self.last_x0 = g.x0;
                self.last_x1 = g.x1;
                self.last_start = start;
                self.last_char = None;
                return;
            }
        }
        // The same glyph drawn again on top of itself (fake bold): drop it.
        if c.is_some()
            && c == self.last_char
            && (g.x0 - self.last_x0).abs() < 0.1 * w.fs
            && dbase < 0.2 * w.fs
        {
            return;
        }
        let gap = g.x0 - w.x1;
        // A change of type size ends the word, as in pdftotext: the line then decides from
        // the gap alone whether a space separates the two (`Ei( x )`, not `Ei(x)`).
        if gap > 0.1 * w.fs
            || gap < -0.2 * w.fs
            || dbase > 0.2 * w.fs.min(g.fs)
            || (g.fs - w.fs).abs() > 0.01 * w.fs
        {
            self.end_word();
            self.start_word(g, t);
            return;
        }
        let start = self.buf.len() as u32;
        self.buf.push_str(t);
        let w = self.cur.as_mut().expect("current word");
        w.end = self.buf.len() as u32;
        w.x1 = w.x1.max(g.x1);
        w.x0 = w.x0.min(g.x0);
        w.glyphs += 1;
        w.bold += u32::from(g.bold);
        if g.fs > w.fs {
            w.fs = g.fs;
        }
        self.set_last(g, start, t);
    }
}

/// Lay out a page: returns its lines in reading order.
pub(crate) fn layout(page: &PageGlyphs) -> Vec<Line> {
    let mut lines = Vec::new();
    for rot in [0u8, 1, 3, 2] {
        let mut wb = WordBuilder {
            page,
            buf: String::new(),
            words: Vec::new(),
            cur: None,
            last_x0: 0.0,
            last_x1: 0.0,
            last_start: 0,
            last_char: None,
        };
        let mut any = false;
        for g in page.glyphs.iter().filter(|g| g.rot == rot) {
            any = true;
            wb.add(g);
        }
        if !any {
            continue;
        }
        wb.end_word();
        let WordBuilder { buf, words, .. } = wb;
        let words = dedup(words, &buf);
        layout_words(&words, &buf, rot, &mut lines);
    }
    lines
}

fn dedup(words: Vec<Word>, buf: &str) -> Vec<Word> {
    let mut seen: HashMap<&str, Vec<usize>> = HashMap::with_capacity(words.len());
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    for w in words {
        let t = &buf[w.start as usize..w.end as usize];
        let v = seen.entry(t).or_default();
        let dup = v.iter().any(|&i| {
            let o: &Word = &out[i];
            (o.x0 - w.x0).abs() < 0.1 * w.fs && (o.base - w.base).abs() < 0.2 * w.fs
        });
        if !dup {
            v.push(out.len());
            out.push(w);
        }
    }
    out
}

/// A piece of a line between wide gaps: the unit of reading order.
#[derive(Debug, Clone)]
struct Frag {
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    base: f32,
    fs: f32,
    /// Indices into the word array, sorted by x.
    words: Vec<u32>,
}

/// Left to right; a superscript before the subscript stacked under it (`r̂ᵀ₁₂`), as pdftotext
/// reads them.
fn by_x(a: &Word, b: &Word) -> std::cmp::Ordering {
    a.x0.total_cmp(&b.x0).then(a.base.total_cmp(&b.base))
}

/// Words on one baseline (scripts included) before the line is cut into fragments.
struct RawLine {
    base: f32,
    fs: f32,
    x0: f32,
    x1: f32,
    words: Vec<u32>,
}

/// Superscripts met before their line: lines are collected top-down, so a superscript above
/// its line's baseline starts a line of its own before its line exists. Each word of a line
/// in smaller type that sits within a script's offset of a line in larger type, beside it,
/// moves into that line (as pdftotext keeps `word¹` on its line).
fn adopt_scripts(words: &[Word], raw: &mut [RawLine]) {
    if raw.len() < 2 {
        return;
    }
    let max_fs = raw.iter().map(|l| l.fs).fold(0.0, f32::max);
    // Lines are in order of first baseline already (words were taken by baseline).
    let bases: Vec<f32> = raw.iter().map(|l| l.base).collect();
    let sorted = bases.windows(2).all(|p| p[0] <= p[1]);
    let mut order: Vec<usize> = (0..raw.len()).collect();
    if !sorted {
        order.sort_by(|&a, &b| bases[a].total_cmp(&bases[b]));
    }
    let mut moves: Vec<(usize, u32, usize)> = Vec::new();
    for (si, s) in raw.iter().enumerate() {
        if s.fs >= 0.85 * max_fs {
            continue; // no line is in larger type
        }
        for &wi in &s.words {
            let w = &words[wi as usize];
            let lo = order.partition_point(|&i| bases[i] < w.base - 0.6 * max_fs);
            let mut best: Option<(usize, f32)> = None;
            for &bi in &order[lo..] {
                let b = &raw[bi];
                if b.base > w.base + 0.6 * max_fs {
                    break;
                }
                let d = (w.base - b.base).abs();
                if bi == si
                    || w.fs >= 0.85 * b.fs
                    || s.fs >= 0.85 * b.fs
                    || d > 0.6 * b.fs
                    || w.x0 > b.x1 + b.fs
                    || w.x1 < b.x0 - b.fs
                {
                    continue;
                }
                if best.is_none_or(|(_, bd)| d < bd) {
                    best = Some((bi, d));
                }
            }
            if let Some((bi, _)) = best {
                moves.push((si, wi, bi));
            }
        }
    }
    for (si, wi, bi) in moves {
        raw[si].words.retain(|&x| x != wi);
        let w = &words[wi as usize];
        let b = &mut raw[bi];
        b.words.push(wi);
        b.x0 = b.x0.min(w.x0);
        b.x1 = b.x1.max(w.x1);
    }
}

fn layout_words(words: &[Word], buf: &str, rot: u8, lines_out: &mut Vec<Line>) {
    if words.is_empty() {
        return;
    }
    // Lines: words sorted by baseline, each joining a nearby open line.
    let mut order: Vec<u32> = (0..words.len() as u32).collect();
    order.sort_by(|&a, &b| {
        let (wa, wb) = (&words[a as usize], &words[b as usize]);
        wa.base.total_cmp(&wb.base).then(wa.x0.total_cmp(&wb.x0))
    });
    let mut raw: Vec<RawLine> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for &wi in &order {
        let w = &words[wi as usize];
        open.retain(|&li| raw[li].base >= w.base - 0.7 * raw[li].fs.max(w.fs));
        let mut best: Option<(usize, f32)> = None;
        for &li in &open {
            let l = &raw[li];
            let d = (w.base - l.base).abs();
            let big = l.fs.max(w.fs);
            let small = l.fs.min(w.fs);
            // Half an em off the baseline still belongs to the line when the word is beside
            // it (a raised sign, a shifted index), as pdftotext's lines allow.
            let beside = w.x0 <= l.x1 + 0.3 * big && w.x1 >= l.x0 - 0.3 * big;
            let same = d <= 0.25 * small || d <= 0.5 * small && beside;
            let script =
                d <= 0.6 * big && small < 0.85 * big && w.x0 <= l.x1 + big && w.x1 >= l.x0 - big;
            if (same || script) && best.is_none_or(|(_, bd)| d < bd) {
                best = Some((li, d));
            }
        }
        match best {
            Some((li, _)) => {
                let l = &mut raw[li];
                l.words.push(wi);
                l.x0 = l.x0.min(w.x0);
                l.x1 = l.x1.max(w.x1);
                if w.fs > l.fs * 1.05 {
                    l.fs = w.fs;
                    l.base = w.base;
                }
            }
            None => {
                open.push(raw.len());
                raw.push(RawLine {
                    base: w.base,
                    fs: w.fs,
                    x0: w.x0,
                    x1: w.x1,
                    words: vec![wi],
                });
            }
        }
    }

    adopt_scripts(words, &mut raw);

    // Fragments: split lines at wide gaps.
    let mut frags: Vec<Frag> = Vec::new();
    for mut l in raw {
        l.words
            .sort_by(|&a, &b| by_x(&words[a as usize], &words[b as usize]));
        let mut cur: Vec<u32> = Vec::new();
        let mut cur_x1 = f32::MIN;
        let flush = |cur: &mut Vec<u32>, frags: &mut Vec<Frag>| {
            if cur.is_empty() {
                return;
            }
            let ws = std::mem::take(cur);
            let x0 = ws
                .iter()
                .map(|&i| words[i as usize].x0)
                .fold(f32::MAX, f32::min);
            let x1 = ws
                .iter()
                .map(|&i| words[i as usize].x1)
                .fold(f32::MIN, f32::max);
            frags.push(Frag {
                x0,
                x1,
                top: l.base - 0.9 * l.fs,
                bottom: l.base + 0.35 * l.fs,
                base: l.base,
                fs: l.fs,
                words: ws,
            });
        };
        for &wi in &l.words {
            let w = &words[wi as usize];
            if !cur.is_empty() && w.x0 - cur_x1 > 0.8 * l.fs.max(w.fs) {
                flush(&mut cur, &mut frags);
            }
            cur_x1 = if cur.is_empty() {
                w.x1
            } else {
                cur_x1.max(w.x1)
            };
            cur.push(wi);
        }
        flush(&mut cur, &mut frags);
    }

    // Reading order.
    let mut idx: Vec<usize> = (0..frags.len()).collect();
    let mut leaves: Vec<Vec<usize>> = Vec::new();
    xy_cut(&frags, &mut idx, &mut leaves, 0);

    // Lines within leaves, then blocks.
    // Output lines: fragments of a leaf on one baseline.
    struct OutLine {
        text: String,
        marks_apart: Option<String>,
        bold: bool,
        base: f32,
        fs: f32,
        x0: f32,
        x1: f32,
    }
    let mut out: Vec<OutLine> = Vec::new();
    for leaf in leaves {
        let mut i = 0;
        while i < leaf.len() {
            let f0 = &frags[leaf[i]];
            let mut j = i + 1;
            while j < leaf.len()
                && (frags[leaf[j]].base - f0.base).abs() <= 0.25 * f0.fs.min(frags[leaf[j]].fs)
            {
                j += 1;
            }
            let members = &leaf[i..j];
            i = j;
            let mut ws: Vec<u32> = members
                .iter()
                .flat_map(|&m| frags[m].words.iter().copied())
                .collect();
            ws.sort_by(|&a, &b| by_x(&words[a as usize], &words[b as usize]));
            let (text, marks_apart, bold) = line_text(words, buf, &ws);
            out.push(OutLine {
                text,
                marks_apart,
                bold,
                base: f0.base,
                fs: members.iter().map(|&m| frags[m].fs).fold(0.0, f32::max),
                x0: members
                    .iter()
                    .map(|&m| frags[m].x0)
                    .fold(f32::MAX, f32::min),
                x1: members
                    .iter()
                    .map(|&m| frags[m].x1)
                    .fold(f32::MIN, f32::max),
            });
        }
    }

    // Blocks: the usual line step of the page tells paragraph gaps from line spacing.
    let mut steps: Vec<f32> = out
        .windows(2)
        .filter(|p| (p[1].fs - p[0].fs).abs() <= 0.2 * p[0].fs)
        .map(|p| p[1].base - p[0].base)
        .filter(|&d| d > 0.5 * out[0].fs.min(20.0))
        .collect();
    let typical = if steps.is_empty() {
        f32::MAX
    } else {
        let mid = steps.len() / 2;
        *steps.select_nth_unstable_by(mid, f32::total_cmp).1
    };
    let mut prev: Option<&OutLine> = None;
    for l in &out {
        let block_start = match prev {
            None => true,
            Some(p) => {
                let step = l.base - p.base;
                let size_change = (l.fs - p.fs).abs() > 0.2 * l.fs.max(p.fs);
                let no_overlap = l.x0 > p.x1 || l.x1 < p.x0;
                let wide = step > 1.3 * l.fs.max(p.fs) && step > 1.25 * typical + 0.1 * l.fs;
                let same_row = step.abs() <= 0.25 * l.fs.min(p.fs);
                step < 0.0 && !same_row || size_change || no_overlap && !same_row || wide
            }
        };
        prev = Some(l);
        lines_out.push(Line {
            text: l.text.clone(),
            font_size: l.fs,
            top: if rot == 0 { l.base } else { 0.0 },
            bold: l.bold,
            block_start,
            marks_apart: l.marks_apart.clone(),
        });
    }
}

/// Text of a line's words (sorted by x), the same with glued superscripts set apart (when it
/// differs), and whether most of it is bold.
fn line_text(words: &[Word], buf: &str, ws: &[u32]) -> (String, Option<String>, bool) {
    let mut out = String::new();
    let mut apart: Option<String> = None;
    let (mut glyphs, mut bold) = (0u32, 0u32);
    // Letter-spaced lines: when every word is one glyph, the space threshold follows the
    // smallest gap, as pdftotext does.
    let all_single = ws.len() > 1 && ws.iter().all(|&i| words[i as usize].glyphs == 1);
    let fs0 = words[ws[0] as usize].fs;
    let mut threshold = 0.03 * fs0;
    if all_single {
        let min_gap = ws
            .windows(2)
            .map(|p| words[p[1] as usize].x0 - words[p[0] as usize].x1)
            .fold(f32::MAX, f32::min);
        if min_gap > 0.0 {
            threshold = (1.3 * min_gap).min(0.4 * fs0);
        }
    }
    let mut prev_x1: Option<f32> = None;
    let mut prev: Option<&Word> = None;
    for &wi in ws {
        let w = &words[wi as usize];
        if let Some(px1) = prev_x1 {
            // A word starting well inside the previous one is overprinted text (a scatter
            // plot's marks, text drawn over text), not its continuation: pdftotext ends the
            // line there, so the two never run together.
            let gap = w.x0 - px1;
            if gap >= WIDE_GAP_EM * fs0 {
                // Columns of a table set on one line (`Pavan Balaji   Sudheer Chunduri`): names
                // are read with the gap as a separator.
                apart.get_or_insert_with(|| out.clone()).push_str(", ");
                out.push(' ');
            } else if gap >= threshold || gap < -0.5 * fs0 {
                out.push(' ');
                if let Some(a) = apart.as_mut() {
                    a.push(' ');
                }
            } else if prev.is_some_and(|p| is_glued_mark(p, w)) {
                apart.get_or_insert_with(|| out.clone()).push(' ');
            }
        }
        let text = &buf[w.start as usize..w.end as usize];
        out.push_str(text);
        if let Some(a) = apart.as_mut() {
            a.push_str(text);
        }
        prev = Some(w);
        prev_x1 = Some(prev_x1.map_or(w.x1, |p| p.max(w.x1)));
        glyphs += w.glyphs;
        bold += w.bold;
    }
    (out, apart, bold * 2 > glyphs)
}

/// A gap between words of one line this many ems wide separates columns, not words.
const WIDE_GAP_EM: f32 = 1.5;

/// `w`, glued to `prev`, is a superscript mark: a few glyphs in smaller type, raised.
fn is_glued_mark(prev: &Word, w: &Word) -> bool {
    w.glyphs <= 3 && w.fs <= 0.85 * prev.fs && w.base < prev.base - 0.15 * prev.fs
}

const MAX_XY_DEPTH: usize = 64;

/// Recursive XY cut: appends leaves (fragment indices in reading order) to `out`.
fn xy_cut(frags: &[Frag], idx: &mut [usize], out: &mut Vec<Vec<usize>>, depth: usize) {
    if idx.len() <= 1 || depth >= MAX_XY_DEPTH {
        leaf(frags, idx, out);
        return;
    }
    let fs = median_fs(frags, idx);
    // Horizontal bands.
    idx.sort_by(|&a, &b| frags[a].top.total_cmp(&frags[b].top));
    let mut bands: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut bottom = frags[idx[0]].bottom;
    for k in 1..idx.len() {
        let f = &frags[idx[k]];
        if f.top > bottom {
            bands.push((start, k));
            start = k;
        }
        bottom = bottom.max(f.bottom);
    }
    bands.push((start, idx.len()));

    if bands.len() > 1 {
        // Merge consecutive bands that share a column gutter.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut gutters: Option<Vec<(f32, f32)>> = None;
        for &(s, e) in &bands {
            let g = gaps(frags, &idx[s..e], 0.8 * fs);
            match (groups.last_mut(), &gutters) {
                (Some(last), Some(prev)) if !g.is_empty() => {
                    let shared = intersect(prev, &g);
                    if !shared.is_empty() {
                        last.1 = e;
                        gutters = Some(shared);
                        continue;
                    }
                    groups.push((s, e));
                    gutters = Some(g);
                }
                _ => {
                    groups.push((s, e));
                    gutters = (!g.is_empty()).then_some(g);
                }
            }
        }
        if groups.len() > 1 {
            for (s, e) in groups {
                xy_cut(frags, &mut idx[s..e], out, depth + 1);
            }
            return;
        }
    }
    // Vertical cut into columns.
    let cols = gaps(frags, idx, 0.8 * fs);
    if cols.is_empty() {
        leaf(frags, idx, out);
        return;
    }
    idx.sort_by(|&a, &b| frags[a].x0.total_cmp(&frags[b].x0));
    let mut s = 0;
    for (gx0, _) in &cols {
        let e = s + idx[s..]
            .iter()
            .take_while(|&&i| frags[i].x1 <= *gx0 + 0.01)
            .count();
        if e > s {
            xy_cut(frags, &mut idx[s..e], out, depth + 1);
        }
        s = e;
    }
    if s < idx.len() {
        xy_cut(frags, &mut idx[s..], out, depth + 1);
    }
}

fn leaf(frags: &[Frag], idx: &mut [usize], out: &mut Vec<Vec<usize>>) {
    // By baseline, then fragments on (nearly) the same baseline left to right. Grouping first
    // keeps the comparison a total order.
    idx.sort_by(|&a, &b| frags[a].base.total_cmp(&frags[b].base));
    let mut s = 0;
    while s < idx.len() {
        let f0 = &frags[idx[s]];
        let mut e = s + 1;
        while e < idx.len() && frags[idx[e]].base - f0.base <= 0.25 * f0.fs.min(frags[idx[e]].fs) {
            e += 1;
        }
        idx[s..e].sort_by(|&a, &b| frags[a].x0.total_cmp(&frags[b].x0));
        s = e;
    }
    out.push(idx.to_vec());
}

fn median_fs(frags: &[Frag], idx: &[usize]) -> f32 {
    let mut v: Vec<f32> = idx.iter().map(|&i| frags[i].fs).collect();
    let mid = v.len() / 2;
    v.select_nth_unstable_by(mid, f32::total_cmp);
    v[mid]
}

/// Vertical white strips at least `min` wide inside the horizontal extent of `idx`.
fn gaps(frags: &[Frag], idx: &[usize], min: f32) -> Vec<(f32, f32)> {
    let mut spans: Vec<(f32, f32)> = idx.iter().map(|&i| (frags[i].x0, frags[i].x1)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    let mut right = spans[0].1;
    for &(x0, x1) in &spans[1..] {
        if x0 - right >= min {
            out.push((right, x0));
        }
        right = right.max(x1);
    }
    out
}

fn intersect(a: &[(f32, f32)], b: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut out = Vec::new();
    for &(a0, a1) in a {
        for &(b0, b1) in b {
            let (l, r) = (a0.max(b0), a1.min(b1));
            if r > l {
                out.push((l, r));
            }
        }
    }
    out
}

/// Join lines into page text: blocks separated by a blank line, hyphenated line ends joined.
pub(crate) fn page_text(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut join_next = false;
    for (i, l) in lines.iter().enumerate() {
        if l.text.is_empty() {
            continue;
        }
        if !join_next && !out.is_empty() {
            out.push_str(if l.block_start { "\n\n" } else { "\n" });
        }
        join_next = false;
        let next = lines.get(i + 1).filter(|n| !n.block_start);
        let mut text = l.text.as_str();
        if let Some(n) = next {
            if let Some(stem) = text.strip_suffix(['-', '\u{2010}', '\u{AD}']) {
                let before = stem.chars().next_back();
                let after = n.text.chars().next();
                if before.is_some_and(char::is_alphabetic) {
                    match after {
                        Some(c) if c.is_lowercase() => {
                            text = stem;
                            join_next = true;
                        }
                        Some(c) if c.is_uppercase() || c.is_ascii_digit() => join_next = true,
                        _ => {}
                    }
                }
            }
        }
        out.push_str(text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct PageBuilder {
        page: PageGlyphs,
    }

    impl PageBuilder {
        fn new() -> Self {
            PageBuilder {
                page: PageGlyphs {
                    width: 612.0,
                    height: 792.0,
                    ..Default::default()
                },
            }
        }

        /// Glyphs of `s`, 5 pt wide each, starting at x on baseline y, size 10.
        fn text(&mut self, s: &str, x: f32, y: f32) -> &mut Self {
            let mut x = x;
            for c in s.chars() {
                let start = self.page.text.len() as u32;
                self.page.text.push(c);
                self.page.glyphs.push(Glyph {
                    x0: x,
                    x1: x + 5.0,
                    base: y,
                    fs: 10.0,
                    rot: 0,
                    bold: false,
                    space: c == ' ',
                    start,
                    len: c.len_utf8() as u32,
                });
                x += 5.0;
            }
            self
        }

        fn glyph(&mut self, s: &str, x0: f32, x1: f32, y: f32) -> &mut Self {
            let start = self.page.text.len() as u32;
            self.page.text.push_str(s);
            self.page.glyphs.push(Glyph {
                x0,
                x1,
                base: y,
                fs: 10.0,
                rot: 0,
                bold: false,
                space: false,
                start,
                len: s.len() as u32,
            });
            self
        }

        fn render(&self) -> String {
            page_text(&layout(&self.page))
        }
    }

    #[test]
    fn gaps_make_spaces_and_baselines_make_lines() {
        let mut p = PageBuilder::new();
        p.text("Hello", 100.0, 100.0)
            .text("world", 128.0, 100.0)
            .text("next", 100.0, 114.0);
        assert_eq!(p.render(), "Hello world\nnext");
    }

    #[test]
    fn explicit_spaces_and_kerning() {
        let mut p = PageBuilder::new();
        p.text("a b", 100.0, 100.0).text("c", 115.2, 100.0);
        assert_eq!(p.render(), "a bc");
    }

    #[test]
    fn two_columns_read_column_by_column() {
        let mut p = PageBuilder::new();
        for (i, y) in [100.0, 112.0, 124.0].iter().enumerate() {
            p.text(&format!("left{i}"), 50.0, *y);
            p.text(&format!("right{i}"), 300.0, *y);
        }
        assert_eq!(p.render(), "left0\nleft1\nleft2\n\nright0\nright1\nright2");
    }

    #[test]
    fn accents_merge() {
        let mut p = PageBuilder::new();
        // TeX style: accent first, then the letter under it.
        p.glyph("c", 100.0, 105.0, 100.0)
            .glyph("\u{B4}", 106.0, 109.0, 100.0)
            .glyph("e", 105.0, 110.0, 100.0);
        // Letter first, then a combining mark over it.
        p.glyph("o", 116.0, 121.0, 100.0)
            .glyph("\u{309}", 117.0, 117.0, 100.0);
        let t = p.render();
        assert_eq!(t, "ce\u{301} o\u{309}");
    }

    #[test]
    fn wide_accent_is_not_merged_into_one_letter() {
        // \widetilde{Du}: the accent spans both letters; a text accent would become D̃.
        let mut p = PageBuilder::new();
        p.glyph("~", 101.0, 107.0, 97.5)
            .glyph("D", 100.0, 108.0, 100.0)
            .glyph("u", 108.0, 113.0, 100.0);
        assert_eq!(p.render(), "Du ~");
    }

    #[test]
    fn raised_accent_takes_its_letters_baseline() {
        // A doubled accent over a capital: the lower one merges into the G, which must stay
        // on the line of the parentheses, not go with the upper accent.
        let mut p = PageBuilder::new();
        p.glyph("(", 100.0, 104.0, 100.0)
            .glyph("\u{2DC}", 106.0, 110.0, 94.2)
            .glyph("\u{2DC}", 106.0, 110.0, 97.0)
            .glyph("G", 104.0, 112.0, 100.0)
            .glyph(")", 112.0, 116.0, 100.0)
            .text("next", 100.0, 114.0);
        assert_eq!(p.render(), "\u{2DC}\n(G\u{303})\nnext");
    }

    #[test]
    fn hyphenation() {
        let mut p = PageBuilder::new();
        p.text("infor-", 100.0, 100.0).text("mation", 100.0, 112.0);
        p.text("Viet-", 100.0, 124.0).text("Nam", 100.0, 136.0);
        assert_eq!(p.render(), "information\nViet-Nam");
    }

    #[test]
    fn fake_bold_duplicates_dropped() {
        let mut p = PageBuilder::new();
        p.text("bold", 100.0, 100.0).text("bold", 100.3, 100.0);
        assert_eq!(p.render(), "bold");
    }

    #[test]
    fn superscript_stays_on_its_line() {
        let mut p = PageBuilder::new();
        p.text("x", 100.0, 100.0);
        let start = p.page.text.len() as u32;
        p.page.text.push('2');
        p.page.glyphs.push(Glyph {
            x0: 105.0,
            x1: 108.0,
            base: 96.5,
            fs: 7.0,
            rot: 0,
            bold: false,
            space: false,
            start,
            len: 1,
        });
        p.text("next", 100.0, 114.0);
        assert_eq!(p.render(), "x2\nnext");
    }

    /// Glyph of size `fs` on baseline `y`.
    fn sized(p: &mut PageBuilder, s: &str, x0: f32, x1: f32, y: f32, fs: f32) {
        p.glyph(s, x0, x1, y);
        p.page.glyphs.last_mut().expect("glyph").fs = fs;
    }

    #[test]
    fn superscript_found_before_its_line_joins_it() {
        // Lines are collected top-down, so the raised footnote mark is met before the line
        // it belongs to, and far from the line's first word.
        let mut p = PageBuilder::new();
        p.text("analytical", 50.0, 100.0)
            .text("approach", 104.0, 100.0);
        sized(&mut p, "1", 144.0, 147.5, 96.4, 7.0);
        p.text("we", 152.0, 100.0).text("next", 50.0, 114.0);
        assert_eq!(p.render(), "analytical approach1 we\nnext");
    }

    #[test]
    fn stacked_scripts_read_superscript_first() {
        let mut p = PageBuilder::new();
        p.text("with", 77.0, 100.0).glyph("r", 100.0, 105.0, 100.0);
        sized(&mut p, "T", 105.0, 109.0, 96.0, 7.0);
        sized(&mut p, "1", 105.0, 109.0, 102.0, 7.0);
        sized(&mut p, "2", 109.0, 113.0, 102.0, 7.0);
        p.text("next", 77.0, 114.0);
        assert_eq!(p.render(), "with rT12\nnext");
    }

    #[test]
    fn type_size_change_leaves_the_space_to_the_gap() {
        // Parentheses from a font 4% larger, 0.04 em away: pdftotext prints `Ei( x )`.
        let mut p = PageBuilder::new();
        p.glyph("E", 100.0, 106.0, 100.0)
            .glyph("i", 106.0, 109.0, 100.0);
        sized(&mut p, "(", 109.1, 113.0, 100.0, 10.4);
        p.glyph("x", 113.4, 118.0, 100.0);
        sized(&mut p, ")", 118.35, 122.0, 100.0, 10.4);
        // Touching glyphs of two sizes still make one word.
        sized(&mut p, "S", 130.0, 137.0, 100.0, 12.0);
        p.text("MALL", 137.0, 100.0);
        assert_eq!(p.render(), "Ei( x ) SMALL");
    }

    #[test]
    fn raised_sign_stays_with_its_number() {
        // A minus drawn 0.4 em lower than its digit, same size (plot axis labels).
        let mut p = PageBuilder::new();
        p.glyph("\u{2212}", 100.0, 104.0, 102.7)
            .glyph("2", 104.0, 108.0, 99.0)
            .text("next", 100.0, 120.0);
        assert_eq!(p.render(), "\u{2212}2\nnext");
    }

    #[test]
    fn overprinted_words_stay_apart() {
        // Text drawn over other text on the same baseline: no word runs into the other.
        let mut p = PageBuilder::new();
        p.text("alpha", 100.0, 100.0).text("beta", 110.0, 100.0);
        assert_eq!(p.render(), "alpha beta");
        // Marks of a scatter plot overlapping by most of their width.
        let mut p = PageBuilder::new();
        p.glyph("\u{25CF}", 100.0, 108.0, 100.0)
            .glyph("\u{25CF}", 102.0, 110.0, 100.5)
            .glyph("\u{25CF}", 104.0, 112.0, 99.8);
        assert_eq!(p.render(), "\u{25CF} \u{25CF} \u{25CF}");
    }
}
