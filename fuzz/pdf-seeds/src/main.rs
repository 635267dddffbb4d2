//! Turns real PDFs into small seeds for the `pdf_extract` target:
//! `pdf_seeds OUT_DIR MAX_PAGES MAX_BYTES FILE...`.
//!
//! Real PDFs compress their content streams, so almost every mutation of one dies in inflate
//! and the fuzzer never reaches the content-stream interpreter, the CMaps or the layout. A seed
//! keeps the first pages with content streams, Form XObjects and CMaps stored uncompressed;
//! embedded font programs stay as they are (the font parsers see real ones) and image data is
//! dropped (the extractor ignores it, and it is most of the bytes). Seeds larger than
//! MAX_BYTES are skipped: big inputs make every execution slow.

use std::path::{Path, PathBuf};

use lopdf::{Document, Object};

fn is_font_program(d: &lopdf::Dictionary) -> bool {
    ["Length1", "Length2", "Length3"]
        .iter()
        .any(|k| d.has(k.as_bytes()))
        || matches!(
            d.get(b"Subtype").and_then(Object::as_name),
            Ok(b"Type1C" | b"CIDFontType0C" | b"OpenType")
        )
}

fn seed(path: &Path, max_pages: u32) -> Result<Vec<u8>, String> {
    let mut doc = Document::load(path).map_err(|e| e.to_string())?;
    if doc.is_encrypted() {
        return Err("encrypted".into());
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let drop: Vec<u32> = pages.into_iter().filter(|&n| n > max_pages).collect();
    doc.delete_pages(&drop);
    doc.prune_objects();
    for obj in doc.objects.values_mut() {
        let Object::Stream(s) = obj else { continue };
        let image = matches!(
            s.dict.get(b"Subtype").and_then(Object::as_name),
            Ok(b"Image")
        );
        if image {
            s.dict.remove(b"Filter");
            s.dict.remove(b"DecodeParms");
            s.set_content(Vec::new());
        } else if !is_font_program(&s.dict) {
            // A stream lopdf cannot inflate stays as it is: it is a seed for that case too.
            let _ = s.decompress();
        }
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out_dir, max_pages, max_bytes, files @ ..] = args.as_slice() else {
        eprintln!("usage: pdf_seeds OUT_DIR MAX_PAGES MAX_BYTES FILE...");
        std::process::exit(2);
    };
    let max_pages: u32 = max_pages.parse().expect("MAX_PAGES is a number");
    let max_bytes: usize = max_bytes.parse().expect("MAX_BYTES is a number");
    let out_dir = PathBuf::from(out_dir);
    std::fs::create_dir_all(&out_dir).expect("create OUT_DIR");
    let (mut kept, mut skipped) = (0, 0);
    for f in files {
        let path = Path::new(f);
        match seed(path, max_pages) {
            Ok(bytes) if bytes.len() <= max_bytes => {
                let name = format!(
                    "{}.seed.pdf",
                    path.file_stem().unwrap_or_default().to_string_lossy()
                );
                std::fs::write(out_dir.join(name), bytes).expect("write seed");
                kept += 1;
            }
            Ok(bytes) => {
                eprintln!("skip {f}: seed of {} bytes", bytes.len());
                skipped += 1;
            }
            Err(e) => {
                eprintln!("skip {f}: {e}");
                skipped += 1;
            }
        }
    }
    eprintln!(
        "pdf_seeds: {kept} seeds written to {}, {skipped} skipped",
        out_dir.display()
    );
}
