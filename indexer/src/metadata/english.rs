//! First-page heuristics for English papers, vignettes and manuals: the title in the largest
//! type near the top, the author line(s) under it.

use super::first_page::{join_title, same_block};
use super::people::split_names;
use super::{match_key, LayoutLine};

/// Lines that are never the title of a paper wherever they stand: identifiers, addresses,
/// copyright and typesetting notes, running heads of journals and proceedings.
fn is_furniture(text: &str) -> bool {
    let key = format!(" {} ", match_key(text));
    [
        " arxiv ",
        " doi ",
        " http",
        " www ",
        " issn ",
        " isbn ",
        " copyright ",
        " preprint ",
        " submitted ",
        " accepted ",
        " published ",
        " abstract ",
        " this vignette ",
        " the vignette ",
        " typeset ",
        " draft version ",
        " article no ",
        " extended abstracts ",
        " proc of ",
    ]
    .iter()
    .any(|w| key.contains(w))
        || text.chars().filter(|c| c.is_alphabetic()).count() < 3
        || text.contains('@')
        || is_journal_line(&key)
}

/// A journal's or proceedings' running head (`Journal of Statistical Software`, `Proceedings of
/// the ASME 2023 ...`, `Annals of Mathematics 160 (2008), 17–46`), but not a title line that
/// merely names a journal (`... for the Journal of the Physical Society of Japan`), which
/// continues a title block and is checked by the caller.
fn is_journal_line(key: &str) -> bool {
    let starts = |p: &str| key.trim_start().starts_with(p);
    starts("journal of")
        || starts("proceedings")
        || starts("volume ")
        || starts("vol ")
        || key.contains(" issue ")
        || (key.contains(" vol ") && key.chars().any(|c| c.is_ascii_digit()))
}

/// Headings of front matter and chapters: a title page may show `Contents` in larger type than
/// the title, and a chapter opening is not the document's title.
pub(crate) fn is_heading_not_title(text: &str) -> bool {
    let key = match_key(text);
    const HEADINGS: [&str; 14] = [
        "contents",
        "table of contents",
        "preface",
        "foreword",
        "acknowledgements",
        "acknowledgments",
        "abstract",
        "summary",
        "introduction",
        "overview",
        "references",
        "index",
        "list of figures",
        "list of tables",
    ];
    if HEADINGS.contains(&key.as_str()) {
        return true;
    }
    let mut words = key.split(' ');
    let first = words.next().unwrap_or("");
    let second = words.next().unwrap_or("");
    matches!(first, "chapter" | "part" | "section" | "appendix")
        && (second.chars().all(|c| c.is_ascii_digit()) || second.len() <= 4)
        && !second.is_empty()
}

/// A line of people's names and nothing else, recognisably so: several names (`John Fox and
/// Sanford Weisberg`), a name with an initial (`Jeffrey A. Ryan`) or a Vietnamese name
/// (`Nguyễn Văn A`). Two capitalised words alone (`Rcpp Attributes`) are not enough.
fn is_people_line(text: &str) -> bool {
    let names = split_names(text);
    if names.is_empty() {
        return false;
    }
    let name_words: usize = names.iter().map(|n| n.split_whitespace().count()).sum();
    let words = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| !matches!(match_key(w).as_str(), "and" | "by"))
        .count();
    if name_words < words {
        return false;
    }
    let initial = |n: &String| {
        n.split_whitespace().any(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            w.ends_with('.') && letters.len() == 1 && letters[0].is_uppercase()
        })
    };
    names.len() >= 2
        || names.iter().any(initial)
        || names.iter().any(|n| super::people::is_name_shaped(n))
}

/// The title after a `Title:` label (report and thesis covers of some universities): the rest
/// of the label's line, else the lines right under it in one type size, up to the next label.
fn labelled_title(cover: &[LayoutLine]) -> Option<String> {
    let i = cover.iter().position(|l| {
        let t = l.text.trim();
        t.get(..6).is_some_and(|h| h.eq_ignore_ascii_case("title:"))
    })?;
    let rest = cover[i].text.trim()[6..].trim();
    if rest.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
        return join_title(&[&LayoutLine {
            text: rest.to_string(),
            marks_apart: None,
            ..cover[i].clone()
        }]);
    }
    let mut parts: Vec<&LayoutLine> = Vec::new();
    for l in &cover[i + 1..] {
        if l.text.contains(':') && parts.last().is_some() && !l.text.trim_end().ends_with(':') {
            // `Academic Year: 2025–2026`: the next field.
            if l.text
                .split(':')
                .next()
                .is_some_and(|h| h.split_whitespace().count() <= 3)
            {
                break;
            }
        }
        match parts.last() {
            None => parts.push(l),
            Some(prev) if same_block(prev, l) && prev.font_size == l.font_size => parts.push(l),
            Some(_) => break,
        }
    }
    join_title(&parts)
}

/// A line naming the kind of work alone (`INTERNSHIP REPORT`, `FINAL THESIS REPORT`,
/// `MASTERARBEIT`), not a manual's name (`MPICH User's Guide` is a title).
fn is_degree_line(text: &str) -> bool {
    super::first_page::is_doc_type_only(text)
        && super::first_page::doc_type_of(text).is_some_and(|(_, rank)| rank >= 3)
}

/// A date or version line under a title (`January 10, 2023`, `Version 4.0.2`, `v1.37`).
fn is_date_or_version(text: &str) -> bool {
    let key = match_key(text);
    let first = key.split(' ').next().unwrap_or("");
    first == "version"
        || first == "edition"
        || first == "dated"
        || first == "draft"
        || (first.starts_with('v')
            && first[1..].chars().all(|c| c.is_ascii_digit())
            && first.len() > 1)
        || (super::year::year_from_line(text).is_some() && key.split(' ').count() <= 6)
}

/// True for affiliation lines (`Department of Statistics`, `Universität Innsbruck`, e-mails).
fn is_affiliation(text: &str) -> bool {
    let key = format!(" {} ", match_key(text));
    [
        " university",
        " universitat",
        " universite",
        " institute",
        " institut",
        " department",
        " school of",
        " college",
        " laboratory",
        " faculty",
        " center for",
        " centre for",
        " inc ",
        " gmbh",
        " ltd",
    ]
    .iter()
    .any(|w| key.contains(w))
        || text.contains('@')
}

/// True when the first page carries an affiliation: with an abstract, the mark of an article.
pub fn has_affiliation(cover: &[LayoutLine]) -> bool {
    cover.iter().any(|l| is_affiliation(&l.text))
}

/// The title: the block of lines in the largest type in the upper part of the first page.
///
/// A block is a run of lines in nearly the same type (at least 0.9 of its largest line), all
/// bold or all regular: subtitles in smaller type, author lines and the date under a title stay
/// out of it. Furniture, affiliations, front-matter and chapter headings, author lines and
/// date or version lines are never candidates. A subtitle right under the block follows it
/// after a colon ([`subtitle`]).
pub fn title(cover: &[LayoutLine]) -> Option<String> {
    if let Some(t) = labelled_title(cover) {
        return Some(t);
    }
    let (lo, hi) = cover.iter().fold((f32::MAX, f32::MIN), |(lo, hi), l| {
        (lo.min(l.top), hi.max(l.top))
    });
    let limit = lo + (hi - lo) * 0.6;
    let size = |b: &Vec<&LayoutLine>| b.iter().map(|l| l.font_size).fold(0.0f32, f32::max);
    let mut blocks: Vec<Vec<&LayoutLine>> = Vec::new();
    let mut open = false;
    for l in cover {
        // The title stands before the abstract, the contents or the introduction; a formula
        // set large further down is no candidate.
        if !blocks.is_empty() && is_heading_not_title(&l.text) {
            break;
        }
        let continues = open
            && blocks.last().is_some_and(|b| {
                let last = b.last().unwrap();
                same_block(last, l)
                    && last.bold == l.bold
                    && l.font_size >= 0.9 * size(b)
                    && l.font_size <= size(b) / 0.9
            });
        // A title line may name a journal (`... for the Journal of the Physical Society of
        // Japan`); only a line of its own is a running head.
        let journal_continuation =
            continues && is_journal_line(&format!(" {} ", match_key(&l.text)));
        let furniture = is_furniture(&l.text) && !journal_continuation;
        // `A University of California Davis` / `Dissertation/Thesis LaTeX Class File`: an
        // affiliation does not open with an indefinite article, and a degree line that runs on
        // a title in its type (more words than `Master of Science Thesis`) is the title's.
        let article = l.text.starts_with("A ") || l.text.starts_with("An ");
        let degree =
            is_degree_line(&l.text) && !(continues && match_key(&l.text).split(' ').count() > 4);
        if l.top > limit
            || furniture
            || is_affiliation(&l.text) && !article
            || super::first_page::is_never_title(&l.text)
            || degree
            || is_date_or_version(&l.text)
            || is_people_line(&l.text)
        {
            open = false;
            continue;
        }
        if continues {
            blocks.last_mut().unwrap().push(l);
        } else {
            blocks.push(vec![l]);
            open = true;
        }
    }
    // Largest type wins; among equals the first (titles come before authors).
    let mut best: Option<&Vec<&LayoutLine>> = None;
    for b in blocks.iter().filter(|b| !is_running_text(b)) {
        if best.is_none_or(|x| size(b) > size(x) + 0.5) {
            best = Some(b);
        }
    }
    let best = best?;
    let title = join_title(best)?;
    match subtitle(cover, best) {
        Some(sub) if title.ends_with([':', '-', '–', '—']) => Some(format!("{title} {sub}")),
        Some(sub) => Some(format!("{title}: {sub}")),
        None => Some(title),
    }
}

/// The subtitle: the line (or two) right under the title block in smaller type, as a
/// librarian records it after a colon (`An Introduction to R: Notes on R: A Programming
/// Environment for Data Analysis and Graphics`). It says what the work is about in the words
/// readers recall, so it belongs to the title that search weighs. Author, affiliation, date and
/// version lines, furniture and sentences are not subtitles.
fn subtitle(cover: &[LayoutLine], title: &[&LayoutLine]) -> Option<String> {
    let last = *title.last()?;
    let title_size = title.iter().map(|l| l.font_size).fold(0.0f32, f32::max);
    let at = cover.iter().position(|l| std::ptr::eq(l, last))?;
    // Lines that are something else by what they say.
    let other_kind = |l: &LayoutLine| {
        is_furniture(&l.text)
            || is_affiliation(&l.text)
            || super::first_page::is_never_title(&l.text)
            || is_degree_line(&l.text)
            || is_date_or_version(&l.text)
            || is_people_line(&l.text)
            || is_heading_not_title(&l.text)
            || !split_names(l.names_text()).is_empty()
            || format!(" {} ", match_key(&l.text)).contains(" version ")
    };
    // A subtitle's shape: a few words, capitalised, not a sentence.
    let shaped = |l: &LayoutLine| {
        (2..=16).contains(&l.text.split_whitespace().count())
            && l.text.chars().next().is_some_and(char::is_uppercase)
            && !l.text.trim_end().ends_with(['.', ',', ';'])
    };
    let mut lines: Vec<&LayoutLine> = Vec::new();
    let mut above = last;
    for l in &cover[at + 1..] {
        let first = lines.first().copied();
        let fits = l.page == above.page
            && l.top > above.top
            && l.top - above.top <= 2.5 * above.font_size.max(8.0)
            && l.font_size < 0.9 * title_size
            && l.font_size >= 0.45 * title_size
            && first.is_none_or(|f| (l.font_size - f.font_size).abs() <= 0.5 && l.bold == f.bold);
        if !fits || other_kind(l) {
            break;
        }
        // A line in the subtitle's type that is not one: the lines are a paragraph.
        if !shaped(l) || lines.len() == 2 {
            return None;
        }
        lines.push(l);
        above = l;
    }
    let words: usize = lines
        .iter()
        .map(|l| l.text.split_whitespace().count())
        .sum();
    if lines.is_empty() || words > 20 {
        return None;
    }
    join_title(&lines)
}

/// A paragraph, not a title: more words than the longest titles have, or lines of code. Where
/// the title is set in the body's size (a bold line, small capitals), the paragraphs under it
/// form blocks in the same type.
fn is_running_text(block: &[&LayoutLine]) -> bool {
    const MAX_TITLE_WORDS: usize = 40;
    let words: usize = block
        .iter()
        .map(|l| l.text.split_whitespace().count())
        .sum();
    let code = |t: &str| {
        let t = t.trim_start();
        ["#include", "//", "/*", "#define", "> ", "import "]
            .iter()
            .any(|p| t.starts_with(p))
            || t.ends_with('{')
            || t.ends_with(';')
    };
    words > MAX_TITLE_WORDS || block.iter().any(|l| code(&l.text))
}

/// The authors: names on the lines right under the title (up to five lines), split on commas
/// and `and`, footnote marks and e-mails removed; stops at the abstract or the affiliations.
pub fn authors(cover: &[LayoutLine], title: Option<&str>) -> Vec<String> {
    let title_key = format!(" {} ", title.map(match_key).unwrap_or_default());
    // The title's lines: the first line that is part of the title and those right after it
    // (a heading further down, `Introduction`, may also be words of the title).
    let in_title = |l: &LayoutLine| {
        let k = match_key(&l.text);
        !k.is_empty() && title_key.contains(&format!(" {k} "))
    };
    let start = match cover.iter().position(in_title) {
        Some(first) => first + cover[first..].iter().take_while(|l| in_title(l)).count(),
        None => 0,
    };
    let mut out: Vec<String> = Vec::new();
    for l in cover.iter().skip(start).take(5) {
        let key = match_key(&l.text);
        if key.starts_with("abstract") || key.starts_with("summary") {
            break;
        }
        if is_affiliation(&l.text) || is_furniture(&l.text) || is_degree_line(&l.text) {
            // `BEN TROVATO and G.K.M. TOBIN, Institute for Clarity in Documentation, USA`:
            // names, then where they work.
            let names = names_before_affiliation(l.names_text());
            if !names.is_empty() && !is_furniture(&without_mail(&l.text)) {
                for n in names {
                    if !out.contains(&n) {
                        out.push(n);
                    }
                }
                continue;
            }
            if out.is_empty() {
                continue;
            }
            break;
        }
        for n in split_names(l.names_text()) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// The names that open a line before its first affiliation (comma-separated parts up to the
/// first one naming an institution); none when the line starts with the institution.
/// E-mail addresses are set beside names (`Wolfgang May ⟨may@informatik.uni-freiburg.de⟩`) and
/// are no institution.
fn names_before_affiliation(text: &str) -> Vec<String> {
    let without_mail = without_mail(text);
    let parts: Vec<&str> = without_mail.split(',').collect();
    let k = parts
        .iter()
        .position(|p| is_affiliation(p))
        .unwrap_or(parts.len());
    if k == 0 || k == parts.len() && without_mail.len() == text.len() {
        return Vec::new();
    }
    split_names(&parts[..k].join(","))
}

fn without_mail(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.contains('@'))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(lines: &[(&str, f32)]) -> Vec<LayoutLine> {
        lines
            .iter()
            .enumerate()
            .map(|(i, (t, s))| LayoutLine {
                text: t.to_string(),
                font_size: *s,
                page: 0,
                top: 50.0 + 20.0 * i as f32,
                bold: false,
                marks_apart: None,
            })
            .collect()
    }

    fn lines(spec: &[(&str, f32, f32, bool)]) -> Vec<LayoutLine> {
        spec.iter()
            .map(|(t, top, size, bold)| LayoutLine {
                text: t.to_string(),
                font_size: *size,
                page: 0,
                top: *top,
                bold: *bold,
                marks_apart: None,
            })
            .collect()
    }

    /// First lines of real title pages (../shared/corpus), as the extractor lays them out.
    #[test]
    fn title_blocks_of_real_first_pages() {
        type Case<'a> = (&'a str, Vec<(&'a str, f32, f32, bool)>, &'a str);
        let body = (
            "Body text of the page that goes on for a while.",
            700.0,
            10.0,
            false,
        );
        let cases: Vec<Case<'_>> = vec![
            (
                "ucdavisthesis: a title that names a university and a degree",
                vec![
                    ("DRAFT", 43.2, 10.0, false),
                    ("A University of California Davis", 98.1, 14.3, false),
                    ("Dissertation/Thesis LaTeX Class File", 116.1, 14.3, false),
                    ("By", 142.5, 12.0, false),
                    ("First Middle Last", 168.9, 12.0, false),
                    ("Dissertation", 224.1, 12.0, false),
                    ("University of California", 435.4, 12.0, false),
                    body,
                ],
                "A University of California Davis Dissertation/Thesis LaTeX Class File",
            ),
            (
                "jpsj: a title line naming a journal continues the title",
                vec![
                    ("Typeset with jpsj2.cls <ver.1.2>", 67.9, 10.9, false),
                    ("Instructions for the Preparation of a Manuscript for", 107.6, 12.0, true),
                    ("the Journal of the Physical Society of Japan", 123.6, 12.0, true),
                    ("Online-Journal Subcommittee of JPSJ ∗", 151.4, 10.9, false),
                    body,
                ],
                "Instructions for the Preparation of a Manuscript for the Journal of the Physical Society of Japan",
            ),
            (
                "lammps CG-DNA: the subtitle in smaller type joins after a colon, the author not",
                vec![
                    ("Coarse-Grained Simulation of DNA using LAMMPS", 80.8, 14.3, true),
                    ("An implementation of the oxDNA model", 94.8, 12.0, true),
                    ("Oliver Henrich∗", 118.7, 10.0, false),
                    body,
                ],
                "Coarse-Grained Simulation of DNA using LAMMPS: An implementation of the oxDNA model",
            ),
            (
                "R-intro: a subtitle, then the version and the authors",
                vec![
                    ("An Introduction to R", 230.2, 20.7, true),
                    ("Notes on R: A Programming Environment for Data Analysis and Graphics", 249.7, 10.9, false),
                    ("Version 4.2.2 Patched (2022-11-10)", 262.7, 10.9, false),
                    ("W. N. Venables, D. M. Smith", 666.0, 14.3, true),
                    body,
                ],
                "An Introduction to R: Notes on R: A Programming Environment for Data Analysis and Graphics",
            ),
            (
                "genetics: a subtitle, then a `by` line",
                vec![
                    ("THE GENETICS PACKAGE", 52.0, 10.0, false),
                    ("The genetics package", 98.4, 24.8, true),
                    ("Utilities for handling genetic data", 122.7, 14.3, true),
                    ("by Gregory R. Warnes", 150.5, 10.0, false),
                    ("Introduction", 184.6, 14.3, true),
                    body,
                ],
                "The genetics package: Utilities for handling genetic data",
            ),
            (
                "numDeriv: a paragraph under the title is no subtitle",
                vec![
                    ("Functions to calculate Numerical Derivatives", 134.8, 14.3, true),
                    ("and Hessian Matrix", 152.7, 14.3, true),
                    ("In R, the functions in this package are made available with", 174.5, 10.0, false),
                    ("> library(\"numDeriv\")", 195.6, 10.0, false),
                    body,
                ],
                "Functions to calculate Numerical Derivatives and Hessian Matrix",
            ),
            (
                "actuar: the author's name under the title is no subtitle",
                vec![
                    ("Credibility theory features of actuar", 120.0, 17.2, false),
                    ("Christophe Dutang", 150.0, 12.0, false),
                    ("Université du Mans", 165.0, 12.0, false),
                    body,
                ],
                "Credibility theory features of actuar",
            ),
            (
                "mpich: a bold title, then regular lines in the same size",
                vec![
                    ("MPICH User’s Guide*", 184.5, 17.2, true),
                    ("Version 4.0.2", 206.4, 17.2, false),
                    ("Mathematics and Computer Science Division", 228.3, 17.2, false),
                    ("Argonne National Laboratory", 250.2, 17.2, false),
                    body,
                ],
                "MPICH User’s Guide",
            ),
            (
                "xts: author names and Contents in larger type than the title",
                vec![
                    ("xts: Extensible Time Series", 176.6, 10.3, false),
                    ("Jeffrey A. Ryan", 205.5, 13.7, false),
                    ("Joshua M. Ulrich", 205.5, 13.7, false),
                    ("May 18, 2008", 228.9, 13.7, false),
                    ("Contents", 271.4, 15.8, false),
                    body,
                ],
                "xts: Extensible Time Series",
            ),
            (
                "revtex: running head, then the title with a glued footnote mark",
                vec![
                    ("Sample title", 67.0, 10.0, false),
                    ("Sample Title:", 101.9, 14.3, false),
                    ("with Forced Linebreaka)", 119.8, 14.3, false),
                    ("A. Author,1, b) B. Author,1, c) and C. Author2, d)", 134.3, 10.0, false),
                    body,
                ],
                "Sample Title: with Forced Linebreak",
            ),
            (
                "quantreg: a bold title in the body's size, a paragraph after it in the same type",
                vec![
                    ("QUANTILE REGRESSION IN R: A VIGNETTE", 157.9, 10.0, true),
                    ("ROGER KOENKER", 187.8, 8.0, false),
                    ("Abstract. Quantile regression is an evolving body of", 215.0, 8.0, false),
                    ("1. Introduction", 311.9, 10.0, false),
                    ("Beran's (2003) provocative definition of statistics as the study of algorithms for", 329.8, 10.0, false),
                    ("data analysis elevates computational considerations to the forefront of the field. It", 341.7, 10.0, false),
                    ("is apparent that the evolutionary success of statistical methods is to a significant", 353.7, 10.0, false),
                    ("degree determined by considerations of computational convenience. As a result,", 365.7, 10.0, false),
                    body,
                ],
                "QUANTILE REGRESSION IN R: A VIGNETTE",
            ),
            (
                "kspace: a formula set larger than the title, after the introduction's heading",
                vec![
                    ("CALCULATING PER-ATOM AND GROUP/GROUP QUANTITIES USING", 82.0, 9.0, false),
                    ("THE LATTICE SUM METHOD", 102.9, 9.0, false),
                    ("Author: Stan G. Moore", 138.3, 7.8, false),
                    ("Introduction", 205.0, 9.0, false),
                    ("Because Coulombic interactions decay very slowly, these are han-", 240.4, 7.8, false),
                    ("tential UC is divided into a real space portion UC real and UC recip", 282.3, 12.0, false),
                    body,
                ],
                "CALCULATING PER-ATOM AND GROUP/GROUP QUANTITIES USING THE LATTICE SUM METHOD",
            ),
        ];
        for (what, spec, want) in cases {
            assert_eq!(title(&lines(&spec)).as_deref(), Some(want), "{what}");
        }
    }

    #[test]
    fn names_before_their_affiliation_or_mail() {
        assert_eq!(
            names_before_affiliation(
                "BEN TROVATO∗ and G.K.M. TOBIN∗ , Institute for Clarity in Documentation, USA"
            ),
            vec!["Ben Trovato", "G.K.M. Tobin"]
        );
        assert_eq!(
            names_before_affiliation("Wolfgang May ⟨may@informatik.uni-freiburg.de⟩"),
            vec!["Wolfgang May"]
        );
        assert!(
            names_before_affiliation("Department of Statistics, University of Iowa").is_empty()
        );
    }

    #[test]
    fn jss_style_first_pages() {
        type Case<'a> = (Vec<(&'a str, f32)>, &'a str, Vec<&'a str>);
        let cases: Vec<Case<'_>> = vec![
            (
                vec![
                    ("Journal of Statistical Software", 9.0),
                    ("February 2010, Volume 33, Issue 9.", 9.0),
                    ("Solving Differential Equations in R:", 17.0),
                    ("Package deSolve", 17.0),
                    ("Karline Soetaert, Thomas Petzoldt and R. Woodrow Setzer", 12.0),
                    ("Royal Netherlands Institute of Sea Research", 10.0),
                    ("Abstract", 10.0),
                    ("In this paper we present the R package deSolve to solve initial value problems.", 10.0),
                    ("More body text to make the page longer than its top part.", 10.0),
                    ("More body text to make the page longer than its top part.", 10.0),
                    ("More body text to make the page longer than its top part.", 10.0),
                    ("More body text to make the page longer than its top part.", 10.0),
                ],
                "Solving Differential Equations in R: Package deSolve",
                vec!["Karline Soetaert", "Thomas Petzoldt", "R. Woodrow Setzer"],
            ),
        ];
        for (lines, want_title, want_authors) in cases {
            let p = page(&lines);
            let t = title(&p);
            assert_eq!(t.as_deref(), Some(want_title));
            assert_eq!(authors(&p, t.as_deref()), want_authors);
            assert!(has_affiliation(&p));
        }
    }
}
