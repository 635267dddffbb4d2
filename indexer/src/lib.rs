//! Text extraction, Vietnamese analysis and indexing for a scholarly search engine.
//!
//! The crate is organised as a pipeline; each module is one stage:
//!
//! - [`text`]: Vietnamese normalisation (NFC, invisible characters, ligatures, canonical tone
//!   placement, diacritic folding) and legacy 8-bit encodings (TCVN3, VNI).
//! - [`pdf`]: page text from positioned glyphs, fonts and encodings, on top of lopdf.
//! - [`metadata`]: title, authors, doc_type... from PDF metadata and first-page heuristics.
//! - [`doc`]: the document model every stage hands to the next.
//! - [`analysis`]: tantivy analyzers (exact, folded, syllable pairs, English stems).
//! - [`passages`]: the passages (pages, long texts cut, short pages joined) ranking scores.
//! - [`schema`]: the index schema and the conversion of a [`doc::Document`] into its units.
//! - [`index`]: [`index::open`], the one way to open an index (registers the analyzers).
//! - [`merge_policy`]: how segments are merged, within a size that keeps memory flat.
//! - [`query`]: turns user text into a tantivy query over the analysed fields.
//! - [`lang`]: language identification (whatlang) as ISO 639-1 codes.
//! - [`data_dir`]: where the index and reports live inside a data directory.
//! - [`ocr`]: text of scanned pages (pdftoppm, preprocessing, tesseract), cached by content hash.
//! - [`ingest`]: bulk ingestion of PDF folders and catalogue records (`indexer add`), incremental.
//! - [`harvest`]: OAI-PMH repositories into collections that follow them (`indexer harvest`).
//! - [`model`]: the sentence-embedding model installed in a data directory (`indexer model`).
//! - [`vectors`]: documents' sentence vectors beside the index (`indexer embed`), and their
//!   scoring.

pub mod analysis;
pub mod data_dir;
pub mod doc;
pub mod harvest;
pub mod index;
pub mod ingest;
pub mod lang;
pub mod merge_policy;
pub mod metadata;
pub mod model;
pub mod ocr;
pub mod passages;
pub mod pdf;
pub mod query;
pub mod schema;
pub mod text;
pub mod vectors;
