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
            prev: Prev::default(),
            token: Token::default(),
        }
    }
}

/// What a pair needs of the previous token; the text buffer is reused, so pairing allocates
/// nothing after the first few tokens.
#[derive(Debug, Default)]
struct Prev {
    /// False until the first token.
    set: bool,
    position: usize,
    offset_from: usize,
    text: String,
}

impl Prev {
    /// Makes `token` the previous token. Its text buffer is swapped in rather than copied: the
    /// tail overwrites its token's text on every advance (as with any filter that rewrites
    /// token text in place).
    fn take(&mut self, token: &mut Token) {
        self.set = true;
        self.position = token.position;
        self.offset_from = token.offset_from;
        std::mem::swap(&mut self.text, &mut token.text);
    }
}

/// The stream produced by [`PairFilterWrapper`].
#[derive(Debug)]
pub struct PairStream<S> {
    tail: S,
    prev: Prev,
    token: Token,
}

impl<S: TokenStream> TokenStream for PairStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let cur = self.tail.token_mut();
            let prev = &mut self.prev;
            if prev.set && cur.position <= prev.position {
                continue;
            }
            if prev.set && cur.position == prev.position + 1 {
                let token = &mut self.token;
                token.text.clear();
                token.text.push_str(&prev.text);
                token.text.push(PAIR_SEPARATOR);
                token.text.push_str(&cur.text);
                token.offset_from = prev.offset_from;
                token.offset_to = cur.offset_to;
                token.position = prev.position;
                token.position_length = 1;
                prev.take(cur);
                return true;
            }
            prev.take(cur);
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
