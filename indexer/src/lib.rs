//! Text extraction, Vietnamese analysis and indexing for a scholarly search engine.
//!
//! The crate is organised as a pipeline; each module is one stage:
//!
//! - [`text`]: Vietnamese normalisation (NFC, invisible characters, ligatures, canonical tone
//!   placement, diacritic folding) and legacy 8-bit encodings (TCVN3, VNI).
//! - [`pdf`]: page text from positioned glyphs, fonts and encodings, on top of lopdf.
//! - [`metadata`]: title, authors, doc_type... from PDF metadata and first-page heuristics.
//! - [`doc`]: the document model every stage hands to the next.

pub mod doc;
pub mod metadata;
pub mod pdf;
pub mod text;
