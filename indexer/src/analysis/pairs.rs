//! Token filter that turns a syllable stream into adjacent-syllable pairs: `khoa học công nghệ`
//! → `khoa học`, `học công`, `công nghệ`.
//!
//! Most Vietnamese words have two or more syllables, and a syllable alone is highly ambiguous
//! (`học` appears in `khoa học`, `đại học`, `học sinh`...). Indexing each pair as one term gives
//! a compound-word signal without a segmentation dictionary, and it is robust to segmentation
//! errors because every pair is kept. Only tokens at consecutive positions pair up, so pairs
//! never span a clause break (see [`super::tokenizer`]). Tokens that do not move forward (the
//! joined form of a hyphenated compound, which goes back to its first part's position) are
//! skipped: the parts already pair up.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Separator between the two syllables of a pair term.
pub const PAIR_SEPARATOR: char = ' ';

/// See the [module documentation](self).
#[derive(Debug, Clone, Copy, Default)]
pub struct PairFilter;

impl TokenFilter for PairFilter {
    type Tokenizer<T: Tokenizer> = PairFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> PairFilterWrapper<T> {
        PairFilterWrapper { inner: tokenizer }
    }
}

/// [`PairFilter`] applied to a tokenizer.
#[derive(Debug, Clone)]
pub struct PairFilterWrapper<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for PairFilterWrapper<T> {
    type TokenStream<'a> = PairStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PairStream {
            tail: self.inner.token_stream(text),
            prev: None,
            token: Token::default(),
        }
    }
}

/// The stream produced by [`PairFilterWrapper`].
#[derive(Debug)]
pub struct PairStream<S> {
    tail: S,
    prev: Option<Token>,
    token: Token,
}

impl<S: TokenStream> TokenStream for PairStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let cur = self.tail.token();
            let Some(prev) = self.prev.as_mut() else {
                self.prev = Some(cur.clone());
                continue;
            };
            if cur.position <= prev.position {
                continue;
            }
            if cur.position == prev.position + 1 {
                self.token.text.clear();
                self.token.text.push_str(&prev.text);
                self.token.text.push(PAIR_SEPARATOR);
                self.token.text.push_str(&cur.text);
                self.token.offset_from = prev.offset_from;
                self.token.offset_to = cur.offset_to;
                self.token.position = prev.position;
                self.token.position_length = 1;
                prev.clone_from(cur);
                return true;
            }
            prev.clone_from(cur);
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}
