//! End-to-end tests of the whole workspace: one test binary, a module per area.

mod analysis;
mod browser;
mod faults;
mod harvest;
mod model;
mod oai;
mod ocr;
mod ranking;
mod security;
mod semantic;
mod server;
mod vectors;
