//! Recognising TCVN3 / VNI text that was read as Latin-1 / Windows-1252, without font names.
//!
//! Evidence is counted per word that holds Latin-1 letters or symbols (`häc`, `hoïc`, `café`):
//! a word votes for an encoding when its Latin-1 reading is not a Vietnamese syllable and its
//! decoding is; it votes against when only the Latin-1 reading is one (`THÁI` is Vietnamese,
//! its TCVN3 decoding `THẦI` is not). Words that read as syllables both ways (`có`, `mét`) say
//! nothing. Words with letters outside Windows-1252 (real Unicode Vietnamese: `được`, `Việt`)
//! cannot be legacy text and are left out, so mixed pages are judged by their Latin-1 part.

use std::borrow::Cow;

use super::syllable::is_plausible_syllable;
use super::tables::{byte_of_char, vi_upper};
use super::{convert_str, decode_into, LegacyEncoding, LegacyFont, Unit};

/// A detected legacy encoding with a confidence in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub encoding: LegacyEncoding,
    pub confidence: f32,
}

/// Distinct words needed before anything is called legacy: one or two odd words (a French
/// `où`, a `µm`) must never be enough.
const MIN_DISTINCT: usize = 3;
/// Share of the informative words that must vote for the encoding.
const MIN_SHARE: f32 = 0.5;

const ENCODINGS: [LegacyEncoding; 2] = [LegacyEncoding::Tcvn3, LegacyEncoding::Vni];

/// Votes of the words of a text for one encoding.
#[derive(Debug, Clone, Copy, Default)]
struct Votes {
    /// Latin-1 reading is no syllable, the decoding is.
    legacy: u32,
    /// Latin-1 reading is a syllable, the decoding is not.
    against: u32,
    /// Syllables both ways.
    ambiguous: u32,
    /// Syllables neither way (foreign words, symbols).
    neither: u32,
    /// Hashes of the first distinct legacy-voting words.
    distinct: [u64; MIN_DISTINCT],
    n_distinct: usize,
}

impl Votes {
    fn add_distinct(&mut self, hash: u64) {
        if self.n_distinct < MIN_DISTINCT && !self.distinct[..self.n_distinct].contains(&hash) {
            self.distinct[self.n_distinct] = hash;
            self.n_distinct += 1;
        }
    }

    fn merge(&mut self, other: &Votes) {
        self.legacy += other.legacy;
        self.against += other.against;
        self.ambiguous += other.ambiguous;
        self.neither += other.neither;
        for &h in &other.distinct[..other.n_distinct] {
            self.add_distinct(h);
        }
    }

    /// Confidence that the text is in this encoding, when the votes are strong enough.
    fn decide(&self) -> Option<f32> {
        if self.n_distinct < MIN_DISTINCT {
            return None;
        }
        let informative = self.legacy + self.against + self.neither;
        let share = self.legacy as f32 / informative as f32;
        if share < MIN_SHARE {
            return None;
        }
        Some(share * (1.0 - (-(self.legacy as f32) / 4.0).exp()))
    }

    /// With the document already judged legacy: should this line be converted?
    fn accepts_line(&self) -> bool {
        self.legacy >= self.against && (self.legacy > 0 || self.ambiguous > 0)
    }
}

/// Votes for both encodings.
#[derive(Debug, Clone, Copy, Default)]
struct Stats([Votes; 2]);

impl Stats {
    fn merge(&mut self, other: &Stats) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            a.merge(b);
        }
    }

    fn detect(&self) -> Option<Detection> {
        let mut best: Option<(Detection, u32)> = None;
        for (i, votes) in self.0.iter().enumerate() {
            if let Some(confidence) = votes.decide() {
                if best.is_none_or(|(_, legacy)| votes.legacy > legacy) {
                    let encoding = ENCODINGS[i];
                    best = Some((
                        Detection {
                            encoding,
                            confidence,
                        },
                        votes.legacy,
                    ));
                }
            }
        }
        best.map(|(d, _)| d)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vote {
    Legacy,
    Against,
    Ambiguous,
    Neither,
}

/// Characters that make up words: letters, everything a legacy font puts in 0xA1–0xFF (TCVN3
/// letters show as `§ ¹ µ ×`...), the PDF stand-ins for 0xAD/0xB7, and combining marks (so that
/// decomposed Unicode stays one word).
fn is_word_char(c: char) -> bool {
    c.is_alphabetic()
        || ('\u{A1}'..='\u{FF}').contains(&c)
        || ('\u{300}'..='\u{36F}').contains(&c)
        || matches!(c, '\u{2212}' | '\u{2219}')
}

/// Splits text into alternating runs of word and non-word characters.
fn segments(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let word = is_word_char(first);
        let end = rest
            .char_indices()
            .find(|&(_, c)| is_word_char(c) != word)
            .map_or(rest.len(), |(i, _)| i);
        let (segment, tail) = rest.split_at(end);
        rest = tail;
        Some((word, segment))
    })
}

/// A word that could be legacy text: some non-ASCII character, and every character one a
/// Latin-1 / Windows-1252 reading produces.
fn is_candidate(word: &str) -> bool {
    let mut non_ascii = false;
    for c in word.chars() {
        if !c.is_ascii() {
            if byte_of_char(c).is_none() {
                return false;
            }
            non_ascii = true;
        }
    }
    non_ascii
}

/// Characters that stand for common TCVN3 letters but are also everyday mathematical symbols
/// or symbol-font stand-ins (`n−1`, `m×n`, `µi`, `a·b`, `x¦`): a word whose only non-ASCII characters are these decodes to a
/// short syllable (`nư`, `mìn`, `ài`) far too easily to count as evidence.
fn is_math_symbol(c: char) -> bool {
    matches!(
        c,
        '\u{2212}' | '\u{2219}' | '\u{B7}' | '\u{D7}' | '\u{F7}' | '\u{B5}' | '\u{3BC}' | '\u{A6}'
    )
}

/// How `word` votes for `encoding`, given whether its Latin-1 reading is a syllable.
fn vote(word: &str, as_read: bool, encoding: LegacyEncoding, buf: &mut String) -> Vote {
    buf.clear();
    let font = LegacyFont {
        encoding,
        capitals: false,
    };
    let units = word.chars().map(|c| match byte_of_char(c) {
        Some(b) => Unit::Byte(b),
        None => Unit::Char(c),
    });
    // Not normalised: VN1's separate tone marks are rare in ABC-font text, and leaving them
    // uncomposed only makes a word implausible, i.e. the vote more cautious.
    decode_into(units, font, buf);
    match (as_read, is_plausible_syllable(buf)) {
        (false, true) => Vote::Legacy,
        (true, false) => Vote::Against,
        (true, true) => Vote::Ambiguous,
        (false, false) => Vote::Neither,
    }
}

fn hash_word(word: &str) -> u64 {
    // FNV-1a over the lower-cased word: only equality matters.
    word.chars().fold(0xcbf2_9ce4_8422_2325, |h, c| {
        (h ^ u64::from(u32::from(c.to_ascii_lowercase()))).wrapping_mul(0x100_0000_01b3)
    })
}

fn stats_of(text: &str, buf: &mut String) -> Stats {
    let mut stats = Stats::default();
    for (is_word, word) in segments(text) {
        // One character (`µ`, `−`, `§`) is too little to judge.
        if !is_word
            || word.chars().nth(1).is_none()
            || !is_candidate(word)
            || word.chars().all(|c| c.is_ascii() || is_math_symbol(c))
        {
            continue;
        }
        let as_read = is_plausible_syllable(word);
        for (votes, &encoding) in stats.0.iter_mut().zip(&ENCODINGS) {
            match vote(word, as_read, encoding, buf) {
                Vote::Legacy => {
                    votes.legacy += 1;
                    votes.add_distinct(hash_word(word));
                }
                Vote::Against => votes.against += 1,
                Vote::Ambiguous => votes.ambiguous += 1,
                Vote::Neither => votes.neither += 1,
            }
        }
    }
    stats
}

/// Recognise TCVN3 or VNI text read as Latin-1/cp1252 from its character statistics (no font
/// info). Genuine Unicode Vietnamese, English, French, German text etc. return None.
pub fn detect(text: &str) -> Option<Detection> {
    if !has_candidate_chars(text) {
        return None;
    }
    stats_of(text, &mut String::new()).detect()
}

fn has_candidate_chars(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_ascii() && byte_of_char(c).is_some())
}

/// detect + convert_str; returns the input unchanged (Cow::Borrowed) when nothing legacy is
/// detected.
///
/// Works line by line so that pages mixing Unicode text with legacy headings (a Word document
/// with one `.VnAvantH` title) get only the legacy lines converted: a line is converted when
/// the whole text is legacy and the line does not contradict it, or when the line alone is
/// recognised. Inside a converted line, words with real Unicode letters and words that only make
/// sense as read are kept. For TCVN3 lines typed in capitals, the decoded words are upper-cased,
/// since such lines come from `.Vn…H` fonts that draw every letter as a capital.
pub fn repair(text: &str) -> Cow<'_, str> {
    if !has_candidate_chars(text) {
        return Cow::Borrowed(text);
    }
    let mut buf = String::new();
    let lines: Vec<(&str, Stats)> = text
        .split_inclusive('\n')
        .map(|line| (line, stats_of(line, &mut buf)))
        .collect();
    let mut total = Stats::default();
    for (_, stats) in &lines {
        total.merge(stats);
    }
    let document = total.detect().map(|d| d.encoding);

    let mut out: Option<String> = None;
    let mut start = 0;
    for (line, stats) in &lines {
        let encoding = match document {
            Some(e) => Some(e).filter(|&e| stats.0[index_of(e)].accepts_line()),
            None => stats.detect().map(|d| d.encoding),
        };
        let converted = encoding.and_then(|e| convert_line(line, e, &mut buf));
        match (converted, &mut out) {
            (Some(new), Some(out)) => out.push_str(&new),
            (Some(new), None) => {
                let mut s = String::with_capacity(text.len() + text.len() / 8);
                s.push_str(&text[..start]);
                s.push_str(&new);
                out = Some(s);
            }
            (None, Some(out)) => out.push_str(line),
            (None, None) => {}
        }
        start += line.len();
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

fn index_of(encoding: LegacyEncoding) -> usize {
    ENCODINGS.iter().position(|&e| e == encoding).unwrap_or(0)
}

/// The line with its legacy words decoded, or `None` when nothing changes.
fn convert_line(line: &str, encoding: LegacyEncoding, buf: &mut String) -> Option<String> {
    let words: Vec<(bool, &str)> = segments(line).collect();
    let mut convertible = |word: &str| {
        is_candidate(word)
            && !matches!(word, "\u{2212}" | "\u{2219}")
            && vote(word, is_plausible_syllable(word), encoding, buf) != Vote::Against
    };
    let keep: Vec<bool> = words
        .iter()
        .map(|&(is_word, w)| !(is_word && convertible(w)))
        .collect();
    if keep.iter().all(|&k| k) {
        return None;
    }
    // Capitals heading: the ASCII letters of the decoded words are (nearly) all capitals.
    let (mut upper, mut lower) = (0usize, 0usize);
    for (&(_, w), _) in words.iter().zip(&keep).filter(|(_, &k)| !k) {
        upper += w.chars().filter(char::is_ascii_uppercase).count();
        lower += w.chars().filter(char::is_ascii_lowercase).count();
    }
    let capitals = encoding == LegacyEncoding::Tcvn3 && upper >= 2 && upper >= 4 * lower;
    let font = LegacyFont {
        encoding,
        capitals: false,
    };
    let mut out = String::with_capacity(line.len() + line.len() / 4);
    for (&(_, w), &k) in words.iter().zip(&keep) {
        if k {
            out.push_str(w);
        } else if capitals {
            out.extend(convert_str(w, font).chars().map(vi_upper));
        } else {
            out.push_str(&convert_str(w, font));
        }
    }
    (out != line).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        as_cp1252, encode_tcvn3, encode_tcvn3_capitals, encode_vni, english_paragraphs,
        shared_path, vietnamese_sentences,
    };
    use super::*;
    use LegacyEncoding::{Tcvn3, Vni};

    /// The `.VnAvantH` heading of klaa+luan_van__tk.pdf exactly as `pdftotext -f 1 -l 3` prints it.
    const KLAA_HEADING: &str = "TR¦êNG §¹I HäC C¤NG NGHÖ TH¤NG TIN Vµ TRUYÒN TH¤NG";
    const KLAA_HEADING_FIXED: &str = "TRƯỜNG ĐẠI HỌC CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG";

    /// Page 1 of the same PDF as pdftotext prints it: Unicode text around one legacy heading.
    const KLAA_PAGE_1: &str = "ĐẠI HỌC THÁI NGUYÊN
TR¦êNG §¹I HäC C¤NG NGHÖ TH¤NG TIN Vµ TRUYÒN TH¤NG

LÊ CẨM HÀ

NGHIÊN CỨU MẠNG NƠRON CNN VÀ ỨNG DỤNG
TRONG BÀI TOÁN PHÂN LOẠI ẢNH

LUẬN VĂN THẠC SĨ KHOA HỌC MÁY TÍNH

THÁI NGUYÊN - 2020
";

    /// Unicode Vietnamese (pdftotext of the same thesis, d2l-vi), English, and European text.
    const NOT_LEGACY: [&str; 21] = [
        KLAA_HEADING_FIXED,
        "Luận văn này được hoàn thành tại Trường Đại học Công nghệ Thông tin và
Truyền thông dưới sự hướng dẫn của TS. Nguyễn Đình Dũng. Tác giả xin bày
tỏ lòng biết ơn tới các thầy cô giáo thuộc Trường Đại học Công nghệ Thông tin",
        "Chuyên ngành: Khoa học máy tính\nMã số: 8 48 01 01\nThái Nguyên, tháng 10 năm 2020",
        "Có và là các mà thì cũng sẽ đã", // Vietnamese words in Latin-1 letters only
        "Vie\u{302}\u{323}t Nam la\u{300} mo\u{323}\u{302}t quo\u{302}\u{301}c gia", // NFD
        "experimental investigation of the aerodynamics of a wing in a slipstream .",
        "The map η → µ has the property that µi depends only on ηi , i = 1, . . . , n.",
        "empty matrix [ ]m×n, s · [ ]m×n = [ ]m×n · s, E[n−1/2], G−1, L−1, r−2, 1 − F (s−)",
        "The sample was kept at 37 °C ± 0.5 °C; 5 µm, 3 µg, ½ dose — “quoted” © 2020 ® § 3.",
        "Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués \
         de raison et de conscience et doivent agir les uns envers les autres dans un esprit de \
         fraternité.",
        "Là où il y a une volonté, il y a un chemin. Où est la gare ? Il est allé à Paris, où il \
         a vu sa sœur. Déjà vu, à la carte, à propos, voilà, très bien, né, là-bas.",
        "Alle Menschen sind frei und gleich an Würde und Rechten geboren. Sie sind mit Vernunft \
         und Gewissen begabt und sollen einander im Geist der Brüderlichkeit begegnen.",
        "Müller, Schröder, Größe, Straße, Mädchen, über, für, schön, Übung, Ökonomie, Äpfel, Öl.",
        "Todos los seres humanos nacen libres e iguales en dignidad y derechos y, dotados como \
         están de razón y conciencia, deben comportarse fraternalmente los unos con los otros. \
         ¿Qué día es hoy? Sí, mañana, señor, niño, años, sólo, país, tú, mí.",
        "Todos os seres humanos nascem livres e iguais em dignidade e em direitos. Não, você, só, \
         está, é, à, coração, informação, avô, avó.",
        "Tutti gli esseri umani nascono liberi ed eguali in dignità e diritti. Più, perché, città, \
         così, è, già, può, però, università.",
        "Poincaré, Fréchet, Hölder, Schrödinger, Möbius, Gödel, Erdős, Lévy, Cesàro, Bézier, \
         Kähler, Ångström, Zoë, Brontë, naïve, café, résumé, façade, rôle, fiancée.",
        "café",
        "naïve Müller",
        "Français où",
        "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ ¡¢£¤¥¦§¨©ª«¬®¯",
    ];

    #[test]
    fn detects_real_legacy_strings() {
        let cases = [
            (KLAA_HEADING, Tcvn3),
            ("Tr−êng ®¹i häc", Tcvn3),
            ("Ng−êi h−íng dÉn khoa häc", Tcvn3),
            (
                "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc",
                Tcvn3,
            ),
            ("C¨n cø NghÞ ®Þnh sè 43/2000", Tcvn3),
            ("Tröôøng ñaïi hoïc", Vni),
            ("Ngöôøi höôùng daãn khoa hoïc", Vni),
            ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", Vni),
            ("TRÖÔØNG ÑAÏI HOÏC COÂNG NGHEÄ", Vni),
        ];
        for (text, want) in cases {
            let got = detect(text).unwrap_or_else(|| panic!("not detected: {text}"));
            assert_eq!(got.encoding, want, "{text}");
            assert!(got.confidence > 0.3 && got.confidence <= 1.0, "{got:?}");
        }
    }

    #[test]
    fn ignores_unicode_english_and_european_text() {
        for text in NOT_LEGACY {
            assert_eq!(detect(text), None, "{text}");
            assert!(matches!(repair(text), Cow::Borrowed(_)), "{text}");
        }
        for text in ["café", "naïve", "Müller", "Français", "où", "Straße", "µm"] {
            assert_eq!(detect(text), None, "{text}");
        }
    }

    #[test]
    fn repairs_legacy_lines_and_keeps_the_rest() {
        let page_fixed = KLAA_PAGE_1.replace(KLAA_HEADING, KLAA_HEADING_FIXED);
        let cases = [
            (KLAA_PAGE_1, page_fixed.as_str()),
            (KLAA_HEADING, KLAA_HEADING_FIXED),
            ("Tr−êng ®¹i häc", "Trường đại học"),
            (
                "Céng hoµ x· héi chñ nghÜa ViÖt Nam\r\n§éc lËp - Tù do - H¹nh phóc\r\n",
                "Cộng hoà xã hội chủ nghĩa Việt Nam\r\nĐộc lập - Tự do - Hạnh phúc\r\n",
            ),
            // A Unicode word inside a legacy line stays as it is.
            (
                "Ng−êi h−íng dÉn khoa häc: Nguyễn Đình Dũng",
                "Người hướng dẫn khoa học: Nguyễn Đình Dũng",
            ),
            ("Tröôøng ñaïi hoïc\nVieät Nam", "Trường đại học\nViệt Nam"),
        ];
        for (input, want) in cases {
            assert_eq!(repair(input), want, "{input}");
        }
    }

    /// Encoded real sentences are recognised (never as the wrong encoding), paragraphs always;
    /// the real Unicode sentences and English abstracts never are.
    #[test]
    fn detection_on_real_sentences() {
        let sentences = vietnamese_sentences();
        if sentences.is_empty() {
            eprintln!("skipping: no sentences under shared/");
            return;
        }
        for s in &sentences {
            assert_eq!(detect(s), None, "{s}");
        }
        for p in english_paragraphs() {
            assert_eq!(detect(&p), None, "{p}");
        }
        type Encoder = fn(&str) -> Option<Vec<u8>>;
        let encoders: [(LegacyEncoding, Encoder); 3] = [
            (Tcvn3, encode_tcvn3),
            (Tcvn3, encode_tcvn3_capitals),
            (Vni, encode_vni),
        ];
        for (i, (encoding, encode)) in encoders.into_iter().enumerate() {
            let capitals = i == 1;
            let prepare = |s: &String| {
                if capitals {
                    s.to_uppercase()
                } else {
                    s.clone()
                }
            };
            let (mut n, mut hits, mut long, mut long_hits) = (0, 0, 0, 0);
            let mut paragraph = Vec::new();
            let (mut paragraphs, mut repaired) = (0, 0);
            // Every third sentence: still thousands per encoding, affordable in debug builds.
            for s in sentences.iter().step_by(3).map(prepare) {
                let Some(bytes) = encode(&s) else {
                    continue;
                };
                let text = as_cp1252(&bytes);
                let got = detect(&text);
                assert!(got.is_none_or(|d| d.encoding == encoding), "{got:?} {text}");
                n += 1;
                hits += usize::from(got.is_some());
                if s.split_whitespace().count() >= 15 {
                    long += 1;
                    long_hits += usize::from(got.is_some());
                }
                paragraph.push((s, text));
                if paragraph.len() == 4 {
                    let original: Vec<&str> = paragraph.iter().map(|(s, _)| s.as_str()).collect();
                    let legacy: Vec<&str> = paragraph.iter().map(|(_, t)| t.as_str()).collect();
                    let legacy = legacy.join("\n");
                    assert_eq!(
                        detect(&legacy).map(|d| d.encoding),
                        Some(encoding),
                        "{legacy}"
                    );
                    paragraphs += 1;
                    repaired += usize::from(repair(&legacy) == original.join("\n"));
                    paragraph.clear();
                }
            }
            let rate = |a: usize, b: usize| a as f64 / b.max(1) as f64;
            eprintln!(
                "{encoding:?} capitals={capitals}: {hits}/{n} sentences, {long_hits}/{long} long, \
                 {repaired}/{paragraphs} paragraphs repaired exactly"
            );
            assert!(n > 2500 && rate(hits, n) > 0.9, "{hits}/{n}");
            assert!(rate(long_hits, long) > 0.99, "{long_hits}/{long}");
            assert!(rate(repaired, paragraphs) > 0.97, "{repaired}/{paragraphs}");
        }
    }

    /// pdftotext on the real PDF, when both are available: the heading comes out repaired.
    #[test]
    fn repairs_klaa_pdf_headings() {
        let pdf = shared_path("corpus/vi/github/klaa+luan_van__tk.pdf");
        if !pdf.exists() {
            eprintln!("skipping: {} not available", pdf.display());
            return;
        }
        let output = std::process::Command::new("pdftotext")
            .args(["-f", "1", "-l", "3", "-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output();
        let Ok(output) = output.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()) else {
            eprintln!("skipping: pdftotext not installed");
            return;
        };
        assert!(output.contains(KLAA_HEADING), "{output}");
        let fixed = repair(&output);
        assert!(!fixed.contains(KLAA_HEADING));
        assert_eq!(fixed.matches(KLAA_HEADING_FIXED).count(), 2);
        // Nothing else on those pages changes.
        assert_eq!(fixed.replace(KLAA_HEADING_FIXED, KLAA_HEADING), output);
    }
}
