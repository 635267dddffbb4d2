//! placeholder, written by the legacy-encoding work
