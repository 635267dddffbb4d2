//! Token filter that removes diacritics: `đường` → `duong` (see [`crate::text::fold`]).

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::text::fold::fold_into;

/// See the [module documentation](self).
#[derive(Debug, Clone, Copy, Default)]
pub struct FoldFilter;

impl TokenFilter for FoldFilter {
    type Tokenizer<T: Tokenizer> = FoldFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldFilterWrapper<T> {
        FoldFilterWrapper {
            inner: tokenizer,
            buffer: String::new(),
        }
    }
}

/// [`FoldFilter`] applied to a tokenizer.
#[derive(Debug, Clone)]
pub struct FoldFilterWrapper<T> {
    inner: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for FoldFilterWrapper<T> {
    type TokenStream<'a> = FoldStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldStream {
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

/// The stream produced by [`FoldFilterWrapper`].
#[derive(Debug)]
pub struct FoldStream<'a, S> {
    tail: S,
    buffer: &'a mut String,
}

impl<S: TokenStream> TokenStream for FoldStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if !token.text.is_ascii() {
            self.buffer.clear();
            fold_into(&token.text, self.buffer);
            mem::swap(&mut token.text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
