//! First-page heuristics for English papers, vignettes and manuals: the title in the largest
//! type near the top, the author line(s) under it.

use super::first_page::{join_title, same_block};
use super::people::split_names;
use super::{match_key, LayoutLine};

/// Lines that are never the title of a paper: running heads, journal and identifier lines.
fn is_furniture(text: &str) -> bool {
    let key = format!(" {} ", match_key(text));
    [
        " journal of ",
        " volume ",
        " vol ",
        " issue ",
        " arxiv ",
        " doi ",
        " http",
        " www ",
        " issn ",
        " proceedings ",
        " preprint ",
        " copyright ",
        " submitted ",
        " accepted ",
        " published ",
        " abstract ",
        " vignette ",
    ]
    .iter()
    .any(|w| key.contains(w))
        || text.chars().filter(|c| c.is_alphabetic()).count() < 3
        || text.contains('@')
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

/// The title: the block of lines in the largest type in the upper part of the first page,
/// journal furniture and affiliations excluded.
pub fn title(cover: &[LayoutLine]) -> Option<String> {
    let (lo, hi) = cover.iter().fold((f32::MAX, f32::MIN), |(lo, hi), l| {
        (lo.min(l.top), hi.max(l.top))
    });
    let limit = lo + (hi - lo) * 0.6;
    let mut blocks: Vec<Vec<&LayoutLine>> = Vec::new();
    let mut open = false;
    for l in cover {
        if l.top > limit || is_furniture(&l.text) || is_affiliation(&l.text) {
            open = false;
            continue;
        }
        match blocks.last_mut() {
            Some(b) if open && same_block(b.last().unwrap(), l) => b.push(l),
            _ => {
                blocks.push(vec![l]);
                open = true;
            }
        }
    }
    let size = |b: &Vec<&LayoutLine>| b.iter().map(|l| l.font_size).fold(0.0f32, f32::max);
    // Largest type wins; among equals the first (titles come before authors).
    let mut best: Option<&Vec<&LayoutLine>> = None;
    for b in &blocks {
        if best.is_none_or(|x| size(b) > size(x) + 0.5) {
            best = Some(b);
        }
    }
    join_title(best?)
}

/// The authors: names on the lines right under the title (up to five lines), split on commas
/// and `and`, footnote marks and e-mails removed; stops at the abstract or the affiliations.
pub fn authors(cover: &[LayoutLine], title: Option<&str>) -> Vec<String> {
    let title_key = title.map(match_key).unwrap_or_default();
    let start = cover
        .iter()
        .rposition(|l| {
            let k = match_key(&l.text);
            !k.is_empty() && title_key.contains(&k)
        })
        .map(|i| i + 1)
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    for l in cover.iter().skip(start).take(5) {
        let key = match_key(&l.text);
        if key.starts_with("abstract") || key.starts_with("summary") {
            break;
        }
        if is_affiliation(&l.text) || is_furniture(&l.text) {
            if out.is_empty() {
                continue;
            }
            break;
        }
        for n in split_names(&l.text) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
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
            })
            .collect()
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
