//! The user query language: words, `"phrases"`, `-exclusion`, `OR`, and the field prefixes
//! `title:`, `author:` and `year:` (`year:2019`, `year:2015-2020`).
//!
//! Written by hand rather than with tantivy's `QueryParser` because (1) that parser knows one
//! field per name, while every text here exists in several analysed variants (exact, folded,
//! pairs, stems) that must be combined the way `indexer::query` ranks them, and (2) it returns an
//! error on stray syntax (`"unbalanced`, a lone `-`, `OR` at the end), where a search box for
//! young researchers must do its best with whatever was typed. This parser never fails: odd
//! syntax is read as plain words, and [`ParsedQuery::notes`] says what was reinterpreted.

use super::notes::Note;

/// Where a word or phrase must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Any searchable text (title, authors, keywords, abstract, body...).
    Any,
    Title,
    Author,
}

/// One thing the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    /// A word (may analyse into several tokens: `COVID-19`).
    Word { scope: Scope, text: String },
    /// Words that must be adjacent and in order.
    Phrase { scope: Scope, text: String },
}

impl Atom {
    pub fn text(&self) -> &str {
        match self {
            Atom::Word { text, .. } | Atom::Phrase { text, .. } => text,
        }
    }
}

/// A parsed query: every group must match (AND); within a group one atom suffices (OR).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Atom>>,
    pub excluded: Vec<Atom>,
    /// Inclusive year range from `year:`.
    pub years: Option<(i32, i32)>,
    /// What was reinterpreted (shown to the user so odd results can be explained).
    pub notes: Vec<Note>,
}

impl ParsedQuery {
    /// True when nothing positive was asked for (exclusions and years alone list documents).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every positive atom, in query order.
    pub fn positive(&self) -> impl Iterator<Item = &Atom> {
        self.groups.iter().flatten()
    }
}

/// Most atoms a query may have; the rest are dropped (with a note). Bounds the query's cost.
pub const MAX_ATOMS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Lexeme {
    Word(String),
    Phrase(String),
    Or,
}

/// A lexeme with its modifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    negated: bool,
    prefix: Option<String>,
    lexeme: Lexeme,
}

/// Parses `input`. Never fails; control characters count as white space.
pub fn parse(input: &str) -> ParsedQuery {
    let mut out = ParsedQuery::default();
    let items = lex(input, &mut out.notes);
    let mut pending_or = false;
    let mut atoms = 0usize;
    for item in items {
        if item.lexeme == Lexeme::Or {
            if item.negated || item.prefix.is_some() {
                // `-OR` / `title:OR`: the word "or" itself.
            } else {
                if out.groups.is_empty() || pending_or {
                    out.notes.push(Note::OrWithoutTermBefore);
                } else {
                    pending_or = true;
                }
                continue;
            }
        }
        let text = match &item.lexeme {
            Lexeme::Word(w) => w.clone(),
            Lexeme::Phrase(p) => p.clone(),
            Lexeme::Or => "OR".to_string(),
        };
        let is_phrase = matches!(item.lexeme, Lexeme::Phrase(_));
        let scope = match item.prefix.as_deref() {
            None => Scope::Any,
            Some("title") => Scope::Title,
            Some("author") => Scope::Author,
            Some("year") => {
                match parse_years(&text) {
                    Some(range) if !item.negated => {
                        out.years = Some(match out.years {
                            Some((a, b)) => (a.max(range.0), b.min(range.1)),
                            None => range,
                        });
                    }
                    Some(_) => out.notes.push(Note::NegatedYear(text)),
                    None => out.notes.push(Note::NotAYear(text)),
                }
                pending_or = false;
                continue;
            }
            Some(_) => Scope::Any,
        };
        if !has_searchable(&text) {
            if !text.trim().is_empty() {
                out.notes.push(Note::NothingToSearch(text));
            }
            continue;
        }
        atoms += 1;
        if atoms > MAX_ATOMS {
            if atoms == MAX_ATOMS + 1 {
                out.notes.push(Note::TooManyTerms(MAX_ATOMS));
            }
            continue;
        }
        let atom = if is_phrase {
            Atom::Phrase { scope, text }
        } else {
            Atom::Word { scope, text }
        };
        if item.negated {
            if pending_or {
                out.notes.push(Note::OrBeforeExcluded);
                pending_or = false;
            }
            out.excluded.push(atom);
        } else if pending_or {
            out.groups
                .last_mut()
                .expect("pending_or implies a group")
                .push(atom);
            pending_or = false;
        } else {
            out.groups.push(vec![atom]);
        }
    }
    if pending_or {
        out.notes.push(Note::OrWithoutTermAfter);
    }
    out
}

/// True when `text` has a letter or digit (anything else analyses to no token).
fn has_searchable(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// `2019` or `2015-2020` (also `2015..2020`, reversed ranges are put in order).
fn parse_years(text: &str) -> Option<(i32, i32)> {
    let year = |s: &str| -> Option<i32> {
        let s = s.trim();
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    if let Some(y) = year(text) {
        return Some((y, y));
    }
    let (a, b) = text
        .split_once("..")
        .or_else(|| text.split_once(['-', '–']))?;
    let (a, b) = (year(a)?, year(b)?);
    Some((a.min(b), a.max(b)))
}

/// Field prefixes, with Vietnamese aliases (typed without diacritics too).
fn prefix_name(p: &str) -> Option<&'static str> {
    match p.to_lowercase().as_str() {
        "title" | "ti" | "tieude" | "tiêuđề" | "nhande" | "nhan" => Some("title"),
        "author" | "au" | "tacgia" | "tácgiả" => Some("author"),
        "year" | "nam" | "năm" => Some("year"),
        _ => None,
    }
}

/// Whether position `i` starts a word: the input's start, white space or a quote before it, or
/// opening parentheses that themselves start one. A sign inside a formula pasted from a paper
/// (`exp(-a)`, `f(+x)`) is part of the formula, not an exclusion: `(` right after a word reads as
/// a function's argument, not as grouping.
fn starts_word(chars: &[char], i: usize) -> bool {
    let mut k = i;
    while k > 0 && chars[k - 1] == '(' {
        k -= 1;
    }
    k == 0 || chars[k - 1].is_whitespace() || matches!(chars[k - 1], '"' | '“' | '”' | '„')
}

fn lex(input: &str, notes: &mut Vec<Note>) -> Vec<Item> {
    let chars: Vec<char> = input
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut items = Vec::new();
    let mut i = 0;
    let n = chars.len();
    let is_quote = |c: char| matches!(c, '"' | '“' | '”' | '„');
    while i < n {
        let c = chars[i];
        if c.is_whitespace() || matches!(c, '(' | ')') {
            i += 1;
            continue;
        }
        let mut negated = false;
        if (c == '-' || c == '+') && starts_word(&chars, i) {
            // A sign binds only when something follows it directly.
            if i + 1 < n && !chars[i + 1].is_whitespace() {
                negated = c == '-';
                i += 1;
            } else {
                notes.push(Note::LoneSign(c));
                i += 1;
                continue;
            }
        }
        // An optional `field:` prefix.
        let mut prefix = None;
        let start = i;
        let mut j = i;
        while j < n && chars[j].is_alphabetic() {
            j += 1;
        }
        if j > start && j < n && chars[j] == ':' {
            let name: String = chars[start..j].iter().collect();
            if let Some(p) = prefix_name(&name) {
                prefix = Some(p.to_string());
                i = j + 1;
            }
        }
        if i < n && is_quote(chars[i]) {
            let mut k = i + 1;
            while k < n && !is_quote(chars[k]) {
                k += 1;
            }
            let text: String = chars[i + 1..k].iter().collect();
            if k >= n {
                notes.push(Note::UnclosedQuote);
            }
            i = (k + 1).min(n);
            if text.trim().is_empty() {
                continue;
            }
            items.push(Item {
                negated,
                prefix,
                lexeme: Lexeme::Phrase(text),
            });
            continue;
        }
        let mut k = i;
        while k < n
            && !chars[k].is_whitespace()
            && !is_quote(chars[k])
            && !matches!(chars[k], '(' | ')')
        {
            k += 1;
        }
        let text: String = chars[i..k].iter().collect();
        i = k;
        if text.is_empty() {
            if prefix.is_some() {
                notes.push(Note::EmptyPrefix);
            }
            continue;
        }
        let lexeme = if text == "OR" || text == "||" {
            Lexeme::Or
        } else if text == "AND" || text == "&&" {
            // AND is the default between terms.
            continue;
        } else {
            Lexeme::Word(text)
        };
        items.push(Item {
            negated,
            prefix,
            lexeme,
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Atom {
        Atom::Word {
            scope: Scope::Any,
            text: text.into(),
        }
    }
    fn p(text: &str) -> Atom {
        Atom::Phrase {
            scope: Scope::Any,
            text: text.into(),
        }
    }

    #[test]
    fn table() {
        type Case = (&'static str, Vec<Vec<Atom>>, Vec<Atom>, Option<(i32, i32)>);
        let cases: Vec<Case> = vec![
            ("", vec![], vec![], None),
            (
                "học sâu",
                vec![vec![w("học")], vec![w("sâu")]],
                vec![],
                None,
            ),
            (
                "\"khoa học\" máy",
                vec![vec![p("khoa học")], vec![w("máy")]],
                vec![],
                None,
            ),
            ("“khoa học”", vec![vec![p("khoa học")]], vec![], None),
            (
                "a OR b c",
                vec![vec![w("a"), w("b")], vec![w("c")]],
                vec![],
                None,
            ),
            (
                "a OR b OR c",
                vec![vec![w("a"), w("b"), w("c")]],
                vec![],
                None,
            ),
            (
                "a or b",
                vec![vec![w("a")], vec![w("or")], vec![w("b")]],
                vec![],
                None,
            ),
            ("mạng -nơron", vec![vec![w("mạng")]], vec![w("nơron")], None),
            (
                "x -\"học máy\"",
                vec![vec![w("x")]],
                vec![p("học máy")],
                None,
            ),
            (
                "title:\"xử lý ảnh\" author:Nguyễn",
                vec![
                    vec![Atom::Phrase {
                        scope: Scope::Title,
                        text: "xử lý ảnh".into(),
                    }],
                    vec![Atom::Word {
                        scope: Scope::Author,
                        text: "Nguyễn".into(),
                    }],
                ],
                vec![],
                None,
            ),
            (
                "year:2019 lúa",
                vec![vec![w("lúa")]],
                vec![],
                Some((2019, 2019)),
            ),
            ("year:2020-2015", vec![], vec![], Some((2015, 2020))),
            ("nam:2015..2016", vec![], vec![], Some((2015, 2016))),
            ("year:abc x", vec![vec![w("x")]], vec![], None),
            ("http://x.org", vec![vec![w("http://x.org")]], vec![], None),
            // Malformed input: best effort, never a failure.
            (
                "\"unbalanced phrase",
                vec![vec![p("unbalanced phrase")]],
                vec![],
                None,
            ),
            ("OR", vec![], vec![], None),
            ("a OR", vec![vec![w("a")]], vec![], None),
            ("OR OR a", vec![vec![w("a")]], vec![], None),
            ("- a", vec![vec![w("a")]], vec![], None),
            ("-", vec![], vec![], None),
            ("\"\"", vec![], vec![], None),
            ("title:", vec![], vec![], None),
            (
                "((a)) AND b",
                vec![vec![w("a")], vec![w("b")]],
                vec![],
                None,
            ),
            (
                "a\u{0}b\u{7}c",
                vec![vec![w("a")], vec![w("b")], vec![w("c")]],
                vec![],
                None,
            ),
            ("*** ???", vec![], vec![], None),
            ("-OR", vec![], vec![w("OR")], None),
            // A sign inside a pasted formula is part of it; after a space or a lone `(` it binds.
            (
                "log(1 - exp(-a)) cancellation",
                vec![
                    vec![w("log")],
                    vec![w("1")],
                    vec![w("exp")],
                    vec![w("-a")],
                    vec![w("cancellation")],
                ],
                vec![],
                None,
            ),
            ("x (-y)", vec![vec![w("x")]], vec![w("y")], None),
            ("x ((+y))", vec![vec![w("x")], vec![w("y")]], vec![], None),
        ];
        for (input, groups, excluded, years) in cases {
            let q = parse(input);
            assert_eq!(q.groups, groups, "groups of {input:?}");
            assert_eq!(q.excluded, excluded, "excluded of {input:?}");
            assert_eq!(q.years, years, "years of {input:?}");
        }
    }

    #[test]
    fn notes_explain_reinterpretations() {
        assert!(!parse("\"open").notes.is_empty());
        assert!(!parse("a OR").notes.is_empty());
        assert!(parse("a b").notes.is_empty());
    }

    #[test]
    fn huge_inputs_are_bounded() {
        let long = "từ ".repeat(5000);
        let q = parse(&long);
        assert_eq!(q.groups.len(), MAX_ATOMS);
        let quotes = "\"".repeat(10_000);
        assert!(parse(&quotes).is_empty());
    }
}
