//! The syllable tokenizer: splits text into lower-case syllables and words, normalised.
//!
//! Vietnamese writes one syllable per space-separated unit, so "word" splitting is syllable
//! splitting; compound words (`khoa học`) are recovered by the pair field, not here.
//!
//! Rules:
//! - a token is a run of letters and digits; combining marks stay inside the token (NFD input
//!   is composed per token, so `ho` + U+0323 + `c` is one token `học`) and invisible characters
//!   (soft hyphen, zero-width space) inside a word are dropped;
//! - digits joined by `.` or `,` stay one token (`3.14`, `1,5`, DOI prefixes `10.1038`);
//! - hyphenated compounds give their parts and then the parts joined, at the position of the
//!   first part (`COVID-19` → `covid`, `19`, `covid19`; `e-mail` → `e`, `mail`, `email`), so
//!   both spellings match;
//! - URLs and DOIs split at their punctuation (`doi.org/10.1038/nature12373` → `doi`, `org`,
//!   `10.1038`, `nature12373`);
//! - tokens are lower-cased, ligatures expanded and tones placed canonically (see
//!   [`crate::text::tone`]);
//! - clause punctuation (`. , ; : ! ? ( ) " …` and dashes) and blank lines leave a one-position
//!   gap, so adjacent-syllable pairs and phrases never span a clause boundary.
//!
//! Offsets point into the text given to the tokenizer, whatever per-token normalisation did, so
//! highlighting the stored text is exact.

use std::collections::VecDeque;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use crate::text::clean::{is_invisible, ligature};
use crate::text::fold::fold_into;
use crate::text::tone::{canonical_syllable, utf8_len};
use crate::text::vowels::{non_ascii_vowel, vowel, Tone, Vowel};

/// Tokens longer than this (in bytes) are dropped: they are base64, hashes or glued garbage,
/// never something a user types.
pub const MAX_TOKEN_BYTES: usize = 64;

/// Hyphenated compounds longer than this many bytes are not joined (they are lists, not words).
const MAX_JOINED_BYTES: usize = 32;

/// How [`SyllableTokenStream::skip_separators`] treats each byte: decided by one table load, as
/// the separator scan runs between every two tokens.
const SEP_WORD: u8 = 0;
const SEP_NEWLINE: u8 = 1;
/// ASCII white space other than `\n`: no effect on positions.
const SEP_BLANK: u8 = 2;
const SEP_CLAUSE: u8 = 3;
const SEP_OTHER: u8 = 4;
/// First byte of a multi-byte character, which must be decoded.
const SEP_UTF8: u8 = 5;

static SEPARATOR_CLASS: [u8; 256] = {
    let mut t = [SEP_UTF8; 256];
    let mut b = 0;
    while b < 0x80 {
        let byte = b as u8;
        t[b] = if byte.is_ascii_alphanumeric() {
            SEP_WORD
        } else if byte == b'\n' {
            SEP_NEWLINE
        } else if byte.is_ascii_whitespace() {
            SEP_BLANK
        } else if is_ascii_clause_break(byte) {
            SEP_CLAUSE
        } else {
            SEP_OTHER
        };
        b += 1;
    }
    t
};

/// ASCII letters and digits mapped to their lower case, every other byte to 0: the test and
/// the case mapping of the word scan in one load.
static ASCII_WORD_LOWER: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x80 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            t[b] = byte.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// See the [module documentation](self).
#[derive(Debug, Clone, Default)]
pub struct SyllableTokenizer {
    queue: VecDeque<Token>,
    fold: bool,
}

impl SyllableTokenizer {
    /// The same tokens with their diacritics removed: exactly what this tokenizer followed by
    /// [`FoldFilter`](super::FoldFilter) gives, in one pass. The folded analyzers run on every
    /// indexed text, and most syllables can be folded while they are read.
    pub fn folded() -> Self {
        SyllableTokenizer {
            queue: VecDeque::new(),
            fold: true,
        }
    }
}

impl Tokenizer for SyllableTokenizer {
    type TokenStream<'a> = SyllableTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SyllableTokenStream<'a> {
        self.queue.clear();
        SyllableTokenStream {
            text,
            pos: 0,
            next_position: 0,
            emitted: false,
            token: Token::default(),
            queue: &mut self.queue,
            fold: self.fold,
        }
    }
}

/// The stream produced by [`SyllableTokenizer`].
#[derive(Debug)]
pub struct SyllableTokenStream<'a> {
    text: &'a str,
    /// Byte offset where scanning resumes.
    pos: usize,
    next_position: usize,
    emitted: bool,
    token: Token,
    /// Tokens of a hyphenated compound waiting to be emitted (the later parts, the joined form).
    queue: &'a mut VecDeque<Token>,
    /// Whether tokens are folded (see [`SyllableTokenizer::folded`]).
    fold: bool,
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Vietnamese letters first: they are most of the non-ASCII text we see, and the table
    // lookup is cheaper than the general Unicode property search.
    vowel(c).is_some() || matches!(c, 'đ' | 'Đ') || c.is_alphanumeric() || is_combining_mark(c)
}

/// The ASCII part of [`is_clause_break`], usable when building the byte tables.
const fn is_ascii_clause_break(b: u8) -> bool {
    matches!(
        b,
        b'.' | b','
            | b';'
            | b':'
            | b'!'
            | b'?'
            | b'('
            | b')'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'"'
            | b'|'
    )
}

/// Separators after which adjacent-syllable pairs must not be formed.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '“'
            | '”'
            | '„'
            | '«'
            | '»'
            | '…'
            | '–'
            | '—'
            | '•'
            | '·'
            | '|'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Reads the word of `text` starting at `start` in one pass, writing its normalised token text
/// (lower case, ligatures expanded, invisible characters dropped, NFC, canonical tone) into
/// `out`. Returns the end offset of the word and whether the token is usable (not empty, not
/// too long).
fn read_word(text: &str, start: usize, out: &mut String) -> (usize, bool) {
    out.clear();
    let Some(plain) = scan_plain_word::<false>(text, start, out) else {
        return read_word_general(text, start, out);
    };
    if plain.tone_candidate {
        if let Some(fixed) = canonical_syllable(out) {
            *out = fixed;
        }
    }
    (plain.end, !out.is_empty() && out.len() <= MAX_TOKEN_BYTES)
}

/// [`read_word`] followed by [`fold_token`]: the folded token text of the word at `start`,
/// with the usability of its unfolded token (the length limit applies to the unfolded token,
/// as when the fold filter follows the tokenizer).
fn read_word_folded(text: &str, start: usize, out: &mut String) -> (usize, bool) {
    out.clear();
    let Some(plain) = scan_plain_word::<true>(text, start, out) else {
        let (end, ok) = read_word_general(text, start, out);
        fold_token(out);
        return (end, ok);
    };
    if plain.tone_candidate {
        // Moving a tone leaves the folded letters as they are, but can change the unfolded
        // token's length by a byte, which decides whether the token is kept.
        let mut exact = String::new();
        let (_, ok) = read_word(text, start, &mut exact);
        return (plain.end, ok);
    }
    let len = plain.end - start;
    (plain.end, len > 0 && len <= MAX_TOKEN_BYTES)
}

/// Folds a token's text in place, as [`FoldFilter`](super::FoldFilter) does.
fn fold_token(text: &mut String) {
    if !text.is_ascii() {
        let mut folded = String::with_capacity(text.len());
        fold_into(text, &mut folded);
        *text = folded;
    }
}

/// Tells, letter by letter, whether a word may carry a tone on the wrong vowel, so that
/// [`canonical_syllable`] is run only then: the rules of
/// `crate::text::tone::is_tone_candidate_at`, followed through the previous letter. It flags
/// at least every word `canonical_syllable` changes.
#[derive(Debug, Default, Clone, Copy)]
struct ToneWatch {
    /// What the previous letter was, one of the `AFTER_*` values.
    prev: u8,
    candidate: bool,
}

/// Anything else.
const AFTER_OTHER: u8 = 0;
/// A plain `o`/`u`: a toned `a`/`e`/`y` next may be new style (`hoà`).
const AFTER_OU: u8 = 1;
/// `q`, then a toned `u` is the onset's `u` carrying the tone (`qúa`).
const AFTER_Q: u8 = 2;
/// `g`, then a toned `i` is the onset's `i` carrying the tone (`gìa`).
const AFTER_G: u8 = 3;
/// A toned `o`/`u`: an `a`/`e`/`y` next may be a misplaced tone (`hòang`).
const AFTER_TONED_OU: u8 = 4;
/// The toned `u` of `qu` or `i` of `gi`: any vowel next leaves the tone misplaced.
const AFTER_TONED_GLIDE: u8 = 5;

/// The state an ASCII run ending with each byte leaves: one load where most runs end.
static ASCII_AFTER: [u8; 256] = {
    let mut t = [AFTER_OTHER; 256];
    t[b'o' as usize] = AFTER_OU;
    t[b'O' as usize] = AFTER_OU;
    t[b'u' as usize] = AFTER_OU;
    t[b'U' as usize] = AFTER_OU;
    t[b'q' as usize] = AFTER_Q;
    t[b'Q' as usize] = AFTER_Q;
    t[b'g' as usize] = AFTER_G;
    t[b'G' as usize] = AFTER_G;
    t
};

impl ToneWatch {
    /// A run of ASCII letters and digits from byte `first` to byte `last`. Only its first
    /// byte can complete a candidate and only its last one matters for what follows.
    #[inline]
    fn ascii_run(&mut self, first: u8, last: u8) {
        // Only the two toned states let a letter complete a candidate; both are rare.
        if self.prev >= AFTER_TONED_OU {
            let first = first | 0x20;
            self.candidate |= matches!(first, b'a' | b'e' | b'y')
                || (self.prev == AFTER_TONED_GLIDE && matches!(first, b'i' | b'o' | b'u'));
        }
        self.prev = ASCII_AFTER[usize::from(last)];
    }

    /// A (non-ASCII) vowel letter.
    #[inline]
    fn vowel(&mut self, v: Vowel) {
        let toned = v.tone != Tone::Level;
        let base = v.toneless_lower();
        let prev = self.prev;
        self.prev = match base {
            'o' | 'u' if toned => AFTER_TONED_OU,
            'o' | 'u' => AFTER_OU,
            _ => AFTER_OTHER,
        };
        // Most vowels follow a consonant other than `q`/`g`.
        if prev != AFTER_OTHER {
            self.vowel_after(prev, base, toned);
        }
    }

    /// [`Self::vowel`] after an `o`/`u`, `q`/`g` or a toned onset letter.
    #[inline]
    fn vowel_after(&mut self, prev: u8, base: char, toned: bool) {
        let aey = matches!(base, 'a' | 'e' | 'y');
        self.candidate |= match prev {
            AFTER_OU => toned && aey,
            AFTER_TONED_OU => aey,
            AFTER_TONED_GLIDE => true,
            _ => false,
        };
        if toned && matches!((prev, base), (AFTER_Q, 'u') | (AFTER_G, 'i')) {
            self.prev = AFTER_TONED_GLIDE;
        }
    }

    /// Any other letter or a number separator.
    #[inline]
    fn other(&mut self) {
        self.prev = AFTER_OTHER;
    }
}

/// A word whose token is its own text, up to ASCII lower-casing: see [`scan_plain_word`].
struct PlainWord {
    end: usize,
    tone_candidate: bool,
}

/// Finds the end of the word at `start` when its token is the word itself with ASCII letters
/// lower-cased, which is true of nearly every word of running text: ASCII letters and digits,
/// number separators, and lower-case Vietnamese letters. Returns `None` for any other word
/// (upper-case Vietnamese letters, marks, ligatures, invisible or other letters), which
/// [`read_word_general`] then reads. The tone-candidate rule is the same as there.
///
/// The token is appended to `out` on the way, folded with `FOLD`: character by character, as
/// words are short and copying a slice branches on its length. A `None` leaves it
/// half-written.
fn scan_plain_word<const FOLD: bool>(
    text: &str,
    start: usize,
    out: &mut String,
) -> Option<PlainWord> {
    let bytes = text.as_bytes();
    let mut i = start;
    let mut tone = ToneWatch::default();
    loop {
        let run = i;
        while let Some(&b) = bytes.get(i) {
            let lower = ASCII_WORD_LOWER[usize::from(b)];
            if lower == 0 {
                break;
            }
            out.push(char::from(lower));
            i += 1;
        }
        if i > run {
            tone.ascii_run(bytes[run], bytes[i - 1]);
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if b < 0x80 {
            if (b == b'.' || b == b',')
                && i > start
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                out.push(char::from(b));
                tone.other();
                i += 1;
                continue;
            }
            break;
        }
        // Decoded here rather than by `chars()`: this runs for most letters of Vietnamese.
        let (cp, len) = match b {
            0xC0..=0xDF => (u32::from(b & 0x1F) << 6 | u32::from(bytes[i + 1] & 0x3F), 2),
            0xE0..=0xEF => (
                u32::from(b & 0x0F) << 12
                    | u32::from(bytes[i + 1] & 0x3F) << 6
                    | u32::from(bytes[i + 2] & 0x3F),
                3,
            ),
            // Four-byte characters (symbols, emoji, rare letters): the general reader decides.
            _ => return None,
        };
        if let Some(v) = non_ascii_vowel(cp) {
            if v.upper {
                return None;
            }
            tone.vowel(v);
            out.push(if FOLD { v.ascii() } else { v.lower() });
        } else if cp == u32::from('đ') {
            tone.other();
            out.push(if FOLD { 'd' } else { 'đ' });
        } else {
            let c = char::from_u32(cp).unwrap_or(' ');
            if c == 'Đ'
                || is_invisible(c)
                || ligature(c).is_some()
                || is_combining_mark(c)
                || c.is_alphanumeric()
            {
                return None;
            }
            break;
        }
        i += len;
    }
    Some(PlainWord {
        end: i,
        tone_candidate: tone.candidate,
    })
}

/// [`read_word`] for any word, one character at a time.
#[cold]
#[inline(never)]
fn read_word_general(text: &str, start: usize, out: &mut String) -> (usize, bool) {
    let bytes = text.as_bytes();
    out.clear();
    let mut i = start;
    let mut has_mark = false;
    // Whether a tone may sit on the wrong vowel; only then is the (rarely needed) syllable
    // analysis run.
    let mut tone = ToneWatch::default();
    loop {
        // A run of ASCII letters and digits.
        let run = i;
        while let Some(&b) = bytes.get(i) {
            let lower = ASCII_WORD_LOWER[usize::from(b)];
            if lower == 0 {
                break;
            }
            out.push(char::from(lower));
            i += 1;
        }
        if i > run {
            tone.ascii_run(bytes[run], bytes[i - 1]);
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if b < 0x80 {
            // `3.14`, `1,5`: the separator belongs to the number. The previous byte is a digit
            // exactly when the previous character was one.
            if (b == b'.' || b == b',')
                && i > start
                && bytes[i - 1].is_ascii_digit()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                out.push(char::from(b));
                tone.other();
                i += 1;
                continue;
            }
            break;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if let Some(v) = vowel(c) {
            tone.vowel(v);
            out.push(v.lower());
        } else if matches!(c, 'đ' | 'Đ') {
            tone.other();
            out.push('đ');
        } else if is_invisible(c) {
            if i == start {
                break;
            }
        } else if let Some(l) = ligature(c) {
            tone.other();
            out.extend(l.chars().map(|c| c.to_ascii_lowercase()));
        } else if is_combining_mark(c) {
            has_mark = true;
            out.push(c);
        } else if c.is_alphanumeric() {
            tone.other();
            out.extend(c.to_lowercase());
        } else {
            break;
        }
        i += c.len_utf8();
    }
    let mut tone_candidate = tone.candidate;
    if has_mark {
        let composed = crate::text::clean::nfc(out).into_owned();
        *out = composed;
        tone_candidate = true;
    }
    if tone_candidate {
        if let Some(fixed) = canonical_syllable(out) {
            *out = fixed;
        }
    }
    (i, !out.is_empty() && out.len() <= MAX_TOKEN_BYTES)
}

impl<'a> SyllableTokenStream<'a> {
    /// Skips separators from `self.pos`; returns whether a clause break was crossed.
    fn skip_separators(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let mut gap = false;
        let mut newlines = 0;
        let mut i = self.pos;
        while i < bytes.len() {
            match SEPARATOR_CLASS[usize::from(bytes[i])] {
                SEP_WORD => break,
                SEP_NEWLINE => {
                    newlines += 1;
                    gap |= newlines >= 2;
                }
                SEP_BLANK => {}
                SEP_CLAUSE => {
                    newlines = 0;
                    gap = true;
                }
                SEP_OTHER => newlines = 0,
                _ => {
                    let c = self.text[i..].chars().next().unwrap_or(' ');
                    if is_word_char(c) {
                        break;
                    }
                    if !c.is_whitespace() {
                        newlines = 0;
                        gap |= is_clause_break(c);
                    }
                    i += c.len_utf8();
                    continue;
                }
            }
            i += 1;
        }
        self.pos = i;
        gap
    }

    #[cold]
    fn make_token(&self, from: usize, position: usize) -> (usize, Option<Token>) {
        let mut text = String::new();
        let (to, ok) = read_word(self.text, from, &mut text);
        let token = ok.then_some(Token {
            offset_from: from,
            offset_to: to,
            position,
            text,
            position_length: 1,
        });
        (to, token)
    }

    #[inline]
    fn hyphen_follows(&self, end: usize) -> bool {
        // Every hyphen starts with one of these bytes: `-`, or U+2010/U+2011.
        matches!(self.text.as_bytes().get(end), Some(b'-' | 0xE2)) && self.hyphen_at(end)
    }

    #[inline(never)]
    fn hyphen_at(&self, end: usize) -> bool {
        let mut chars = self.text[end..].chars();
        matches!((chars.next(), chars.next()), (Some(h), Some(n)) if is_hyphen(h) && is_word_char(n))
    }

    /// Handles a hyphenated compound whose first word, already read, spans `start..end` and
    /// gave a usable token when `first_ok`: emits its parts, then the joined form. Returns
    /// false when no part gave a token.
    #[cold]
    #[inline(never)]
    fn compound(&mut self, start: usize, mut end: usize, first_ok: bool) -> bool {
        // Compounds are built from unfolded parts (the joined form's length limit applies to
        // them) and folded at the end.
        let first = if self.fold {
            let mut exact = String::new();
            read_word(self.text, start, &mut exact).1.then_some(exact)
        } else {
            first_ok.then(|| self.token.text.clone())
        };
        let first_position = self.next_position;
        let mut tokens: Vec<Token> = Vec::new();
        if let Some(text) = first {
            tokens.push(Token {
                offset_from: start,
                offset_to: end,
                position: self.next_position,
                text,
                position_length: 1,
            });
            self.next_position += 1;
        }
        while self.hyphen_follows(end) {
            let hyphen_len = self.text[end..].chars().next().map_or(1, char::len_utf8);
            let (part_end, token) = self.make_token(end + hyphen_len, self.next_position);
            if let Some(t) = token {
                tokens.push(t);
                self.next_position += 1;
            }
            end = part_end;
        }
        self.pos = end;
        if tokens.is_empty() {
            return false;
        }
        if tokens.len() > 1 {
            let joined: String = tokens.iter().map(|t| t.text.as_str()).collect();
            if joined.len() <= MAX_JOINED_BYTES {
                // Emitted last: a term's positions must increase within a document, and this
                // one goes back to the first part's position.
                tokens.push(Token {
                    offset_from: start,
                    offset_to: end,
                    position: first_position,
                    text: joined,
                    position_length: 1,
                });
            }
        }
        self.emitted = true;
        if self.fold {
            for t in &mut tokens {
                fold_token(&mut t.text);
            }
        }
        let mut iter = tokens.into_iter();
        if let Some(first) = iter.next() {
            self.token = first;
        }
        self.queue.extend(iter);
        true
    }
}

impl TokenStream for SyllableTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(t) = self.queue.pop_front() {
            self.token = t;
            return true;
        }
        loop {
            let gap = self.skip_separators();
            if self.pos >= self.text.len() {
                return false;
            }
            if gap && self.emitted {
                self.next_position += 1;
            }
            let start = self.pos;
            // The common case: one word, its text written straight into the reused token.
            let (end, ok) = if self.fold {
                read_word_folded(self.text, start, &mut self.token.text)
            } else {
                read_word(self.text, start, &mut self.token.text)
            };
            // A word always advances (it starts with a word character), but never loop.
            let end = if end > start {
                end
            } else {
                start + utf8_len(self.text.as_bytes()[start])
            };
            if self.hyphen_follows(end) {
                if self.compound(start, end, ok) {
                    return true;
                }
                continue;
            }
            self.pos = end;
            if !ok {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = self.next_position;
            self.token.position_length = 1;
            self.next_position += 1;
            self.emitted = true;
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut tok = SyllableTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn splits_syllables_and_words() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Trường Đại học Bách khoa",
                &["trường", "đại", "học", "bách", "khoa"],
            ),
            ("H2O và CO2", &["h2o", "và", "co2"]),
            ("π ≈ 3.14, tỉ lệ 1,5%", &["π", "3.14", "tỉ", "lệ", "1,5"]),
            ("COVID-19", &["covid", "19", "covid19"]),
            ("e-mail", &["e", "mail", "email"]),
            (
                "https://doi.org/10.1038/nature12373",
                &["https", "doi", "org", "10.1038", "nature12373"],
            ),
            ("end. 2020", &["end", "2020"]),
            ("THUỶ LỢI hoà", &["thủy", "lợi", "hòa"]),
            ("ﬁnd", &["find"]),
            ("nghiên\u{00AD}cứu", &["nghiêncứu"]),
            ("", &[]),
            ("  ,.;  ", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(texts(input), *want, "{input:?}");
        }
    }

    #[test]
    fn nfd_and_old_style_tokens_equal_nfc_new_style() {
        assert_eq!(
            texts("Ho\u{0300}a bi\u{0300}nh, thuy\u{0309} lơ\u{0323}i"),
            texts("Hòa bình, thủy lợi")
        );
        assert_eq!(texts("khoẻ loà"), texts("khỏe lòa"));
    }

    #[test]
    fn tone_on_the_onset_u_or_i_gives_the_canonical_token() {
        let cases: &[(&str, &[&str])] = &[
            (
                "kết qủa QÚA Qũy qúyên",
                &["kết", "quả", "quá", "quỹ", "quyến"],
            ),
            ("Gía gìa GÌƯƠNG gĩưa", &["giá", "già", "giường", "giữa"]),
            ("qu\u{0301}a gi\u{0300}a", &["quá", "già"]),
            ("gíup qùo Gỉoi", &["giúp", "quò", "giỏi"]),
            (
                "gì gìn quý quốc nghĩa",
                &["gì", "gìn", "quý", "quốc", "nghĩa"],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(texts(input), *want, "{input:?}");
            let normal = crate::text::normalize(input);
            assert_eq!(texts(&normal), *want, "{normal:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The tokenizer decides by itself which words need a tone moved; it must give the
        /// tokens of the normalised text, where `tone::canonical_tones` decided.
        #[test]
        fn tokens_equal_those_of_the_normalised_syllables(
            text in crate::text::tone::syllable_soup(&[" ", ", ", "-", "", "\u{0301} "])
        ) {
            let normal = crate::text::normalize(&text);
            proptest::prop_assert_eq!(texts(&text), texts(&normal), "{:?}", text);
            let folded = |t: &str| all_fields(SyllableTokenizer::folded(), t)
                .into_iter()
                .map(|f| f.0)
                .collect::<Vec<_>>();
            proptest::prop_assert_eq!(folded(&text), folded(&normal), "{:?}", text);
        }
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "Ho\u{0300}a bình và COVID-19";
        let mut tok = SyllableTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut spans = Vec::new();
        while stream.advance() {
            let t = stream.token();
            spans.push(&text[t.offset_from..t.offset_to]);
        }
        assert_eq!(
            spans,
            ["Ho\u{0300}a", "bình", "và", "COVID", "19", "COVID-19"]
        );
    }

    #[test]
    fn clause_breaks_leave_a_position_gap() {
        assert_eq!(
            tokens("khoa học, công nghệ"),
            [
                ("khoa".to_string(), 0),
                ("học".to_string(), 1),
                ("công".to_string(), 3),
                ("nghệ".to_string(), 4)
            ]
        );
        let positions: Vec<usize> = tokens("dòng một\ndòng hai\n\nđoạn")
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        assert_eq!(positions, [0, 1, 2, 3, 5]);
    }

    /// Every field of every token of `tok` on `text`.
    fn all_fields(tok: impl Tokenizer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut analyzer = tantivy::tokenizer::TextAnalyzer::builder(tok).build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    #[test]
    fn folded_mode_equals_the_fold_filter() {
        use tantivy::tokenizer::TokenFilter;
        let filtered = || super::super::FoldFilter.transform(SyllableTokenizer::default());
        let mut texts: Vec<String> = [
            "Trường Đại học Thuỷ lợi, HOÀ BÌNH và COVID-19 e-mail 3.14",
            "Ho\u{0300}a bi\u{0300}nh nghiên\u{00AD}cứu ﬁnd İstanbul ĐƯỜNG",
            "hoà-thuỷ-khoẻ-hòang quý-Quỳ x-ũy ũy-x",
            "qúa QÚA-qủa gìa Gía gìương GÌƯƠNG gì gìn qú-a",
            // Around the length limits: a tone move changes the unfolded length by a byte.
            &format!(
                "{}oẽ {}ũy {}-{}",
                "a".repeat(62),
                "b".repeat(62),
                "c".repeat(20),
                "d".repeat(12)
            ),
            &format!("{}ờ {}Ờ {}", "n".repeat(61), "n".repeat(61), "đ".repeat(33)),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/d2l-vi");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    texts.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        assert!(texts.len() > 5);
        for text in &texts {
            assert_eq!(
                all_fields(SyllableTokenizer::folded(), text),
                all_fields(filtered(), text),
                "{}",
                text.chars().take(80).collect::<String>()
            );
        }
    }

    #[test]
    fn overlong_tokens_are_dropped() {
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(texts(&format!("x {long} y")), ["x", "y"]);
    }
}
