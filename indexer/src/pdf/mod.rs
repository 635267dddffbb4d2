//! placeholder, written by the PDF extraction work
