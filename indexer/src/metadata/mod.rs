//! placeholder, written by the metadata work
