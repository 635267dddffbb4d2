//! Small helpers over lopdf's object model: bounded dereferencing, typed getters, bounded
//! stream decoding. Every getter returns `None` on anything unexpected, because malformed files
//! are normal input here.

use lopdf::{Dictionary, Document, Object, Stream};

/// How many references are followed before giving up (reference chains and cycles).
const MAX_DEREF: usize = 16;

/// Follow references; `None` for a dangling or cyclic one.
pub(crate) fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> Option<&'a Object> {
    for _ in 0..MAX_DEREF {
        match obj {
            Object::Reference(id) => obj = doc.objects.get(id)?,
            o => return Some(o),
        }
    }
    None
}

/// `dict[key]`, dereferenced.
pub(crate) fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    deref(doc, dict.get(key).ok()?)
}

pub(crate) fn get_dict<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    match get(doc, dict, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub(crate) fn get_name<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [u8]> {
    match get(doc, dict, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

pub(crate) fn get_array<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a [Object]> {
    match get(doc, dict, key)? {
        Object::Array(a) => Some(a),
        _ => None,
    }
}

pub(crate) fn get_stream<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Stream> {
    match get(doc, dict, key)? {
        Object::Stream(s) => Some(s),
        _ => None,
    }
}

pub(crate) fn get_num(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<f32> {
    num(get(doc, dict, key)?)
}

/// A number operand or value (integers included); `None` for non-finite values.
pub(crate) fn num(o: &Object) -> Option<f32> {
    let v = match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// Numbers of an array, dereferencing elements (0 for non-numbers).
pub(crate) fn nums(doc: &Document, arr: &[Object]) -> Vec<f32> {
    arr.iter()
        .map(|o| deref(doc, o).and_then(num).unwrap_or(0.0))
        .collect()
}

/// Decoded stream data, bounded by `limit` bytes.
pub(crate) fn stream_data(s: &Stream, limit: usize) -> Result<Vec<u8>, lopdf::Error> {
    s.get_plain_content_with_limit(limit)
}
