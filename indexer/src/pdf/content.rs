//! The content-stream interpreter: runs the text and graphics-state operators of a page (and of
//! the Form XObjects it draws) and records every glyph with its position, size and text.
//!
//! Positions are in a top-down device space (origin at the top-left of the crop box, page
//! `/Rotate` applied), then expressed in the frame of the glyph's writing direction, so that the
//! layout stage can treat rotated text exactly like upright text.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::fonts::{self, Font};
use super::obj;

/// Nesting of Form XObjects followed.
const MAX_FORM_DEPTH: usize = 12;
/// Nesting of `q` kept (deeper saves are ignored, their restores too).
const MAX_GSTATE_DEPTH: usize = 256;
/// Operators between two deadline checks.
const DEADLINE_EVERY: u32 = 2048;
/// Glyphs kept per page, so a hostile page cannot exhaust memory.
const MAX_GLYPHS: usize = 2_000_000;

/// A 2-D affine matrix `[a b c d e f]`, row-vector convention as in PDF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matrix(pub(crate) [f32; 6]);

impl Matrix {
    pub(crate) const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other`: apply `self` first, then `other`.
    pub(crate) fn then(&self, o: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = o.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    #[inline]
    fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }

    fn translate_pre(&mut self, tx: f32, ty: f32) {
        let [a, b, c, d, e, f] = self.0;
        self.0[4] = tx * a + ty * c + e;
        self.0[5] = tx * b + ty * d + f;
    }

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        if ops.len() < 6 {
            return None;
        }
        let mut m = [0f32; 6];
        for (v, o) in m.iter_mut().zip(ops) {
            *v = obj::num(o)?;
        }
        Some(Matrix(m))
    }
}

/// One drawn glyph, in the frame of its writing direction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    /// Start and end along the writing direction.
    pub(crate) x0: f32,
    pub(crate) x1: f32,
    /// Baseline position across the writing direction, growing downwards.
    pub(crate) base: f32,
    /// Effective font size (text matrix and CTM applied).
    pub(crate) fs: f32,
    /// Writing direction: 0 left-to-right, 1 top-down, 2 right-to-left (upside down), 3 bottom-up.
    pub(crate) rot: u8,
    pub(crate) bold: bool,
    /// Whitespace glyph: breaks words, never printed itself.
    pub(crate) space: bool,
    /// Text in [`PageGlyphs::text`].
    pub(crate) start: u32,
    pub(crate) len: u32,
}

/// The glyphs of one page with their text buffer.
#[derive(Debug, Default)]
pub(crate) struct PageGlyphs {
    pub(crate) glyphs: Vec<Glyph>,
    pub(crate) text: String,
    /// Page size in points after rotation.
    pub(crate) width: f32,
    pub(crate) height: f32,
}

impl PageGlyphs {
    pub(crate) fn text_of(&self, g: &Glyph) -> &str {
        &self.text[g.start as usize..(g.start + g.len) as usize]
    }
}

/// Why interpretation stopped early.
#[derive(Debug)]
pub(crate) enum Stop {
    Deadline,
}

/// Per-document caches and limits shared by all pages.
pub(crate) struct DocContext<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) max_stream_bytes: usize,
    pub(crate) deadline: Option<Instant>,
    pub(crate) warnings: Vec<String>,
    fonts: HashMap<ObjectId, Rc<Font>>,
    inline_fonts: HashMap<usize, Rc<Font>>,
    forms: HashMap<ObjectId, Rc<Vec<Operation>>>,
    fallback_font: Rc<Font>,
}

impl std::fmt::Debug for DocContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocContext")
            .field("fonts", &self.fonts.len())
            .field("forms", &self.forms.len())
            .finish()
    }
}

impl<'a> DocContext<'a> {
    pub(crate) fn new(
        doc: &'a Document,
        max_stream_bytes: usize,
        deadline: Option<Instant>,
    ) -> Self {
        DocContext {
            doc,
            max_stream_bytes,
            deadline,
            warnings: Vec::new(),
            fonts: HashMap::new(),
            inline_fonts: HashMap::new(),
            forms: HashMap::new(),
            fallback_font: Rc::new(Font::fallback()),
        }
    }

    fn warn(&mut self, msg: String) {
        if self.warnings.len() < 100 && !self.warnings.contains(&msg) {
            self.warnings.push(msg);
        }
    }

    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Rc<Font> {
        let doc = self.doc;
        let entry = resources
            .and_then(|r| obj::get_dict(doc, r, b"Font"))
            .and_then(|fd| fd.get(name).ok());
        match entry {
            Some(Object::Reference(id)) => {
                if let Some(f) = self.fonts.get(id) {
                    return f.clone();
                }
                let font =
                    match obj::deref(doc, &Object::Reference(*id)).and_then(|o| o.as_dict().ok()) {
                        Some(d) => Rc::new(fonts::load(doc, d, self.max_stream_bytes)),
                        None => {
                            self.warn(format!(
                                "font {} is not a dictionary",
                                String::from_utf8_lossy(name)
                            ));
                            self.fallback_font.clone()
                        }
                    };
                self.fonts.insert(*id, font.clone());
                font
            }
            Some(Object::Dictionary(d)) => {
                let key = d as *const Dictionary as usize;
                if let Some(f) = self.inline_fonts.get(&key) {
                    return f.clone();
                }
                let font = Rc::new(fonts::load(doc, d, self.max_stream_bytes));
                self.inline_fonts.insert(key, font.clone());
                font
            }
            _ => {
                self.warn(format!("missing font /{}", String::from_utf8_lossy(name)));
                self.fallback_font.clone()
            }
        }
    }

    fn form_ops(&mut self, id: ObjectId, stream: &lopdf::Stream) -> Rc<Vec<Operation>> {
        if let Some(ops) = self.forms.get(&id) {
            return ops.clone();
        }
        let ops = match obj::stream_data(stream, self.max_stream_bytes) {
            Ok(data) => decode_ops(&data),
            Err(e) => {
                self.warn(format!("form XObject {} {}: {e}", id.0, id.1));
                Vec::new()
            }
        };
        let ops = Rc::new(ops);
        self.forms.insert(id, ops.clone());
        ops
    }

    /// Run a page's content streams.
    pub(crate) fn interpret_page(&mut self, page_id: ObjectId) -> Result<PageGlyphs, Stop> {
        let doc = self.doc;
        let page = doc.objects.get(&page_id).and_then(|o| o.as_dict().ok());
        let Some(page) = page else {
            return Ok(PageGlyphs::default());
        };
        let (base, width, height) = page_matrix(doc, page);
        let resources = inherited(doc, page, b"Resources").and_then(|o| o.as_dict().ok());

        let mut data = Vec::new();
        let contents = obj::get(doc, page, b"Contents");
        let mut streams: Vec<&lopdf::Stream> = Vec::new();
        match contents {
            Some(Object::Stream(s)) => streams.push(s),
            Some(Object::Array(a)) => {
                for o in a {
                    if let Some(Object::Stream(s)) = obj::deref(doc, o) {
                        streams.push(s);
                    }
                }
            }
            _ => {}
        }
        for s in streams {
            match obj::stream_data(s, self.max_stream_bytes.saturating_sub(data.len())) {
                Ok(d) => {
                    data.extend_from_slice(&d);
                    data.push(b'\n');
                }
                Err(e) => self.warn(format!("page {} content stream: {e}", page_id.0)),
            }
        }
        let ops = decode_ops(&data);
        drop(data);

        let mut run = Interp {
            ctx: self,
            gs: GState::new(base),
            stack: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            out: PageGlyphs {
                width,
                height,
                ..Default::default()
            },
            form_stack: Vec::new(),
            op_count: 0,
        };
        run.run(&ops, resources)?;
        Ok(run.out)
    }
}

/// Decode a content stream, keeping the operations before any syntax error.
fn decode_ops(data: &[u8]) -> Vec<Operation> {
    match Content::decode(data) {
        Ok(c) => c.operations,
        Err(_) => Content::decode_iter(data).map_while(Result::ok).collect(),
    }
}

/// A page attribute, inherited through `/Parent`.
pub(crate) fn inherited<'a>(
    doc: &'a Document,
    page: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    let mut d = page;
    for _ in 0..32 {
        if let Some(o) = obj::get(doc, d, key) {
            return Some(o);
        }
        d = obj::get_dict(doc, d, b"Parent")?;
    }
    None
}

fn rect(doc: &Document, o: Option<&Object>) -> Option<[f32; 4]> {
    let a = o?.as_array().ok()?;
    let v = obj::nums(doc, a);
    if v.len() != 4 {
        return None;
    }
    let r = [
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ];
    (r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0).then_some(r)
}

/// The visible part of a page in default user space: its crop box within its media box.
pub(crate) fn page_box(doc: &Document, page: &Dictionary) -> [f32; 4] {
    let media = rect(doc, inherited(doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    rect(doc, inherited(doc, page, b"CropBox"))
        .map(|c| {
            [
                c[0].max(media[0]),
                c[1].max(media[1]),
                c[2].min(media[2]),
                c[3].min(media[3]),
            ]
        })
        .filter(|c| c[2] - c[0] > 1.0 && c[3] - c[1] > 1.0)
        .unwrap_or(media)
}

/// The matrix from default user space to top-down device space, and the device page size.
fn page_matrix(doc: &Document, page: &Dictionary) -> (Matrix, f32, f32) {
    let [llx, lly, urx, ury] = page_box(doc, page);
    let rotate = inherited(doc, page, b"Rotate")
        .and_then(obj::num)
        .map(|r| (r as i64).rem_euclid(360))
        .unwrap_or(0);
    let (w, h) = (urx - llx, ury - lly);
    match rotate {
        90 => (Matrix([0.0, 1.0, 1.0, 0.0, -lly, -llx]), h, w),
        180 => (Matrix([-1.0, 0.0, 0.0, 1.0, urx, -lly]), w, h),
        270 => (Matrix([0.0, -1.0, -1.0, 0.0, ury, urx]), h, w),
        _ => (Matrix([1.0, 0.0, 0.0, -1.0, -llx, ury]), w, h),
    }
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
}

impl GState {
    fn new(ctm: Matrix) -> GState {
        GState {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

struct Interp<'c, 'a> {
    ctx: &'c mut DocContext<'a>,
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    out: PageGlyphs,
    form_stack: Vec<ObjectId>,
    op_count: u32,
}

fn n(ops: &[Object], i: usize) -> f32 {
    ops.get(i).and_then(obj::num).unwrap_or(0.0)
}

impl<'a> Interp<'_, 'a> {
    fn run(&mut self, ops: &[Operation], resources: Option<&'a Dictionary>) -> Result<(), Stop> {
        for op in ops {
            self.op_count += 1;
            if self.op_count % DEADLINE_EVERY == 0 {
                if let Some(d) = self.ctx.deadline {
                    if Instant::now() >= d {
                        return Err(Stop::Deadline);
                    }
                }
            }
            let a = &op.operands[..];
            match op.operator.as_str() {
                "q" if self.stack.len() < MAX_GSTATE_DEPTH => self.stack.push(self.gs.clone()),
                "Q" => {
                    if let Some(g) = self.stack.pop() {
                        self.gs = g;
                    }
                }
                "cm" => {
                    if let Some(m) = Matrix::from_operands(a) {
                        self.gs.ctm = m.then(&self.gs.ctm);
                    }
                }
                "BT" => {
                    self.tm = Matrix::IDENTITY;
                    self.tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    if let Some(Object::Name(name)) = a.first() {
                        self.gs.font = Some(self.ctx.font(resources, name));
                    }
                    self.gs.size = n(a, 1);
                }
                "Tc" => self.gs.char_spacing = n(a, 0),
                "Tw" => self.gs.word_spacing = n(a, 0),
                "Tz" => self.gs.hscale = n(a, 0) / 100.0,
                "TL" => self.gs.leading = n(a, 0),
                "Ts" => self.gs.rise = n(a, 0),
                "Td" => self.move_line(n(a, 0), n(a, 1)),
                "TD" => {
                    self.gs.leading = -n(a, 1);
                    self.move_line(n(a, 0), n(a, 1));
                }
                "Tm" => {
                    if let Some(m) = Matrix::from_operands(a) {
                        self.tm = m;
                        self.tlm = m;
                    }
                }
                "T*" => self.move_line(0.0, -self.gs.leading),
                "Tj" => {
                    if let Some(Object::String(s, _)) = a.first() {
                        self.show(s);
                    }
                }
                "'" => {
                    self.move_line(0.0, -self.gs.leading);
                    if let Some(Object::String(s, _)) = a.first() {
                        self.show(s);
                    }
                }
                "\"" => {
                    self.gs.word_spacing = n(a, 0);
                    self.gs.char_spacing = n(a, 1);
                    self.move_line(0.0, -self.gs.leading);
                    if let Some(Object::String(s, _)) = a.get(2) {
                        self.show(s);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = a.first() {
                        for it in items {
                            match it {
                                Object::String(s, _) => self.show(s),
                                other => {
                                    if let Some(v) = obj::num(other) {
                                        self.adjust(v);
                                    }
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    if let Some(Object::Name(name)) = a.first() {
                        self.do_xobject(resources, name)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn move_line(&mut self, tx: f32, ty: f32) {
        self.tlm.translate_pre(tx, ty);
        self.tm = self.tlm;
    }

    /// A number in a TJ array: move back by thousandths of the font size.
    fn adjust(&mut self, v: f32) {
        let d = -v / 1000.0 * self.gs.size;
        let vertical = self.gs.font.as_ref().is_some_and(|f| f.vertical);
        if vertical {
            self.tm.translate_pre(0.0, d);
        } else {
            self.tm.translate_pre(d * self.gs.hscale, 0.0);
        }
    }

    fn do_xobject(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Result<(), Stop> {
        let doc = self.ctx.doc;
        let Some(entry) = resources
            .and_then(|r| obj::get_dict(doc, r, b"XObject"))
            .and_then(|x| x.get(name).ok())
        else {
            return Ok(());
        };
        let Object::Reference(id) = entry else {
            return Ok(());
        };
        let Some(Object::Stream(stream)) = obj::deref(doc, entry) else {
            return Ok(());
        };
        if obj::get_name(doc, &stream.dict, b"Subtype") != Some(b"Form") {
            return Ok(());
        }
        if self.form_stack.len() >= MAX_FORM_DEPTH || self.form_stack.contains(id) {
            self.ctx.warn(format!(
                "form XObject {} {} nested too deep or recursive",
                id.0, id.1
            ));
            return Ok(());
        }
        let ops = self.ctx.form_ops(*id, stream);
        let form_res = obj::get_dict(doc, &stream.dict, b"Resources").or(resources);
        let saved = self.gs.clone();
        let (saved_tm, saved_tlm) = (self.tm, self.tlm);
        let depth = self.stack.len();
        if let Some(m) = obj::get_array(doc, &stream.dict, b"Matrix").and_then(|a| {
            let v: Vec<Object> = a
                .iter()
                .filter_map(|o| obj::deref(doc, o).cloned())
                .collect();
            Matrix::from_operands(&v)
        }) {
            self.gs.ctm = m.then(&self.gs.ctm);
        }
        self.form_stack.push(*id);
        let r = self.run(&ops, form_res);
        self.form_stack.pop();
        self.stack.truncate(depth);
        self.gs = saved;
        self.tm = saved_tm;
        self.tlm = saved_tlm;
        r
    }

    fn show(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let font = match &self.gs.font {
            Some(f) => f.clone(),
            None => self.ctx.fallback_font.clone(),
        };
        let gs = &self.gs;
        let fs = gs.size;
        let th = gs.hscale;
        let m = self.tm.then(&gs.ctm);
        let [ma, mb, mc, md, _, _] = m.0;
        let size_y = (mc * mc + md * md).sqrt();
        let fs_eff = (fs * size_y * font.size_scale).abs();
        let vertical = font.vertical;
        // Writing direction in device space.
        let (dx, dy) = if vertical {
            (-mc, -md)
        } else {
            (ma * th.signum(), mb * th.signum())
        };
        let rot: u8 = if dx.abs() >= dy.abs() {
            if dx >= 0.0 {
                0
            } else {
                2
            }
        } else if dy > 0.0 {
            1
        } else {
            3
        };
        let (pw, ph) = (self.out.width, self.out.height);
        let margin = fs_eff.max(1.0);
        let mut adv = 0f32;
        let mut i = 0;
        while i < bytes.len() {
            let (code, nb) = font.next_code(&bytes[i..]);
            i += nb;
            let w0 = font.width(code);
            let word_space = if font.is_word_space(code, nb) {
                gs.word_spacing
            } else {
                0.0
            };
            let (ox, oy, ex, ey, step) = if vertical {
                let (ox, oy) = m.apply(0.0, adv + gs.rise);
                let (ex, ey) = m.apply(0.0, adv + gs.rise - w0 * fs);
                (ox, oy, ex, ey, -(w0 * fs + gs.char_spacing + word_space))
            } else {
                let (ox, oy) = m.apply(adv, gs.rise);
                let (ex, ey) = m.apply(adv + w0 * fs * th, gs.rise);
                (
                    ox,
                    oy,
                    ex,
                    ey,
                    (w0 * fs + gs.char_spacing + word_space) * th,
                )
            };
            adv += step;

            if fs_eff < 0.05
                || !(ox.is_finite() && oy.is_finite() && ex.is_finite() && ey.is_finite())
                || ox < -margin
                || oy < -margin
                || ox > pw + margin
                || oy > ph + margin
                || self.out.glyphs.len() >= MAX_GLYPHS
            {
                continue;
            }
            let start = self.out.text.len();
            font.push_text(code, &mut self.out.text);
            expand_ligature(&mut self.out.text, start);
            let len = self.out.text.len() - start;
            if len == 0 {
                continue;
            }
            let t = &self.out.text[start..];
            let space = t.chars().all(|c| c.is_whitespace() || c == '\u{A0}');
            let ((fx0, fbase), (fx1, _)) = (frame(rot, ox, oy), frame(rot, ex, ey));
            self.out.glyphs.push(Glyph {
                x0: fx0.min(fx1),
                x1: fx0.max(fx1),
                base: fbase,
                fs: fs_eff,
                rot,
                bold: font.bold,
                space,
                start: start as u32,
                len: len as u32,
            });
        }
        if vertical {
            self.tm.translate_pre(0.0, adv);
        } else {
            self.tm.translate_pre(adv, 0.0);
        }
    }
}

/// Device coordinates to the frame of writing direction `rot`.
#[inline]
fn frame(rot: u8, x: f32, y: f32) -> (f32, f32) {
    match rot {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

/// Replace a presentation-form ligature just appended at `start` by its letters.
#[inline]
fn expand_ligature(text: &mut String, start: usize) {
    let t = &text[start..];
    let mut it = t.chars();
    let (Some(c), None) = (it.next(), it.next()) else {
        return;
    };
    let rep = match c {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        _ => return,
    };
    text.truncate(start);
    text.push_str(rep);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_product_order() {
        let scale = Matrix([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = Matrix([1.0, 0.0, 0.0, 1.0, 10.0, 5.0]);
        // scale first, then shift
        assert_eq!(scale.then(&shift).apply(1.0, 1.0), (12.0, 7.0));
        assert_eq!(shift.then(&scale).apply(1.0, 1.0), (22.0, 12.0));
    }

    #[test]
    fn ligatures_expand() {
        let mut s = String::from("a\u{FB03}");
        expand_ligature(&mut s, 1);
        assert_eq!(s, "affi");
    }
}
