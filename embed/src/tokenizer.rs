//! XLM-R's tokenizer: a SentencePiece unigram model over the vocabulary the model file ships.
//!
//! Text is put in NFC (the file's character map is per character, so it cannot compose a
//! decomposed `e` + combining acute the way SentencePiece's own normaliser would: composing
//! first gives both the same pieces), mapped character by character through the file's
//! normalisation map, its white space collapsed and trimmed, `▁` put before every word, and
//! then cut into the pieces of highest total score (Viterbi over the unigram log-probabilities).
//! A character no piece covers becomes `<unk>` with SentencePiece's penalty (the lowest piece
//! score less 10).
//!
//! Why not the `tokenizers` crate: its `Unigram` model would do the Viterbi, but the file's
//! normalisation is a flattened per-character map, not the compiled char-map `tokenizers`
//! reads, so it would need a custom normaliser and pre-tokenizer around it, and the crate
//! brings a regex engine and a suffix-array builder for an algorithm that is forty lines here.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::format::{NormMap, Vocab};

/// SentencePiece's word-start marker.
const WORD_START: char = '▁';
/// SentencePiece scores an unknown character this far below the least likely piece.
const UNK_PENALTY: f32 = 10.0;

/// The tokenizer of one model file.
#[derive(Clone)]
pub struct Tokenizer {
    /// Pieces that text may be cut into, by their text. Control tokens (`<s>`, `</s>`,
    /// `<pad>`, `<unk>`, `<mask>`) are left out: text that spells them is text, as in
    /// SentencePiece, and their score of 0 would otherwise make them the best cut.
    ids: HashMap<Box<str>, u32>,
    scores: Vec<f32>,
    max_piece_bytes: usize,
    unk_score: f32,
    norm: NormMap,
    /// No piece holds a word start after its first character (true of XLM-R's vocabulary,
    /// checked at load): the best cut of a text is then the best cut of each word in turn,
    /// which lets a long text be cut only as far as it is needed.
    words_independent: bool,
    /// Id of `<s>`, which starts every input.
    pub bos: u32,
    /// Id of `</s>`, which ends every input.
    pub eos: u32,
    /// Id of `<unk>`.
    pub unk: u32,
}

/// A summary: the vocabulary has a quarter of a million pieces.
impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("pieces", &self.ids.len())
            .field("normalised_characters", &self.norm.len())
            .field("max_piece_bytes", &self.max_piece_bytes)
            .finish_non_exhaustive()
    }
}

impl Tokenizer {
    pub fn new(vocab: &Vocab, norm: NormMap) -> Tokenizer {
        let control = [vocab.bos, vocab.eos, vocab.pad, vocab.unk];
        let ids: HashMap<Box<str>, u32> = vocab
            .pieces
            .iter()
            .enumerate()
            .map(|(id, piece)| (id as u32, piece))
            .filter(|&(id, piece)| !control.contains(&id) && piece != "<mask>")
            .map(|(id, piece)| (piece.as_str().into(), id))
            .collect();
        let max_piece_bytes = ids.keys().map(|p| p.len()).max().unwrap_or(1);
        let words_independent = ids
            .keys()
            .all(|p| !p.chars().skip(1).any(|c| c == WORD_START));
        let min_score = ids
            .values()
            .map(|&id| vocab.scores[id as usize])
            .fold(f32::INFINITY, f32::min);
        Tokenizer {
            ids,
            scores: vocab.scores.clone(),
            max_piece_bytes,
            unk_score: min_score - UNK_PENALTY,
            norm,
            words_independent,
            bos: vocab.bos,
            eos: vocab.eos,
            unk: vocab.unk,
        }
    }

    /// The text as the unigram model sees it: NFC, mapped, one `▁` before each word.
    pub fn normalize(&self, text: &str) -> String {
        let mut mapped = String::with_capacity(text.len() + 8);
        for c in text.nfc() {
            match self.norm.get(&c) {
                Some(to) => mapped.extend(to.iter()),
                None => mapped.push(c),
            }
        }
        // Only U+0020 separates words here: the map has already turned the other spaces
        // (tab, no-break space, ideographic space...) into it.
        let mut out = String::with_capacity(mapped.len() + 16);
        for word in mapped.split(' ').filter(|w| !w.is_empty()) {
            out.push(WORD_START);
            out.push_str(word);
        }
        out
    }

    /// The token ids of `text`, without `<s>` and `</s>`.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        self.encode_at_most(text, usize::MAX)
    }

    /// The first `limit` token ids of `text` (the same as `encode(text)` cut to `limit`),
    /// without cutting the rest of a long text.
    pub fn encode_at_most(&self, text: &str, limit: usize) -> Vec<u32> {
        let normalized = self.normalize(text);
        if !self.words_independent {
            let mut ids = self.viterbi(&normalized);
            ids.truncate(limit);
            return ids;
        }
        let mut ids = Vec::new();
        let starts: Vec<usize> = normalized
            .match_indices(WORD_START)
            .map(|(i, _)| i)
            .chain([normalized.len()])
            .collect();
        for w in starts.windows(2) {
            if ids.len() >= limit {
                break;
            }
            ids.extend(self.viterbi(&normalized[w[0]..w[1]]));
        }
        ids.truncate(limit);
        ids
    }

    /// The best-scoring cut of normalised text into pieces.
    fn viterbi(&self, text: &str) -> Vec<u32> {
        // Byte offsets of the character boundaries: pieces start and end only there.
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let n = bounds.len() - 1;
        // best[e]: score of the best cut of the first e characters, and its last piece.
        let mut best = vec![(f32::NEG_INFINITY, 0usize, self.unk); n + 1];
        best[0].0 = 0.0;
        for start in 0..n {
            let base = best[start].0;
            if base == f32::NEG_INFINITY {
                continue;
            }
            for end in start + 1..=n {
                let piece = &text[bounds[start]..bounds[end]];
                if piece.len() > self.max_piece_bytes {
                    break;
                }
                if let Some(&id) = self.ids.get(piece) {
                    let score = base + self.scores[id as usize];
                    if score > best[end].0 {
                        best[end] = (score, start, id);
                    }
                }
            }
            // One character as <unk> keeps every position reachable.
            let score = base + self.unk_score;
            if score > best[start + 1].0 {
                best[start + 1] = (score, start, self.unk);
            }
        }
        let mut ids = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, start, id) = best[end];
            ids.push(id);
            end = start;
        }
        ids.reverse();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{tests::tiny_model_file, ModelFile};

    fn tiny() -> Tokenizer {
        let bytes = tiny_model_file();
        let f = ModelFile::parse(&bytes).unwrap();
        Tokenizer::new(&f.vocab, f.norm)
    }

    #[test]
    fn picks_the_cut_of_highest_score() {
        let t = tiny();
        // "▁ab" (-3.5) beats "▁a" + "b" (-6.0).
        assert_eq!(t.encode("ab"), vec![7]);
        // "▁a" "b" "c": no "▁abc" piece, and "▁ab" + "c" = -8.0 beats "▁a" + "b" + "c".
        assert_eq!(t.encode("abc"), vec![7, 8]);
        assert_eq!(t.encode("a a"), vec![5, 5]);
    }

    #[test]
    fn white_space_is_collapsed_trimmed_and_mapped() {
        let t = tiny();
        assert_eq!(t.normalize("  a \t\n b  "), "▁a▁\n▁b");
        assert_eq!(t.normalize("a\tb"), "▁a▁b");
        assert_eq!(t.normalize("a\u{ad}b"), "▁ab");
        assert_eq!(t.normalize(""), "");
        assert!(t.encode("   ").is_empty());
    }

    #[test]
    fn word_by_word_is_the_whole_text_cut_and_stops_at_the_limit() {
        let t = tiny();
        assert!(t.words_independent);
        for text in ["ab abc a b", "abcabc  ađ b", "bab a", "a"] {
            assert_eq!(t.encode(text), t.viterbi(&t.normalize(text)), "{text}");
        }
        assert_eq!(t.encode_at_most("ab abc a b", 2), vec![7, 7]);
        assert_eq!(t.encode_at_most("ab abc a b", 0), Vec::<u32>::new());
        assert_eq!(t.encode_at_most("ab", 10), vec![7]);
    }

    #[test]
    fn unknown_characters_are_one_unk_each() {
        let t = tiny();
        assert_eq!(t.encode("ađ"), vec![5, 3]);
        assert_eq!(t.encode("đđ"), vec![4, 3, 3]);
    }

    #[test]
    fn control_tokens_are_never_cut_from_text() {
        let t = tiny();
        assert!(!t.encode("<s>").contains(&t.bos));
        assert!(!t.encode("<mask>").contains(&12));
    }

    #[test]
    fn decomposed_text_tokenizes_as_composed() {
        let t = tiny();
        assert_eq!(t.normalize("e\u{301}"), t.normalize("\u{e9}"));
    }
}
