#!/usr/bin/env python3
"""Writes the committed seed inputs of the fuzz targets (run from anywhere; output beside it).

The PDF seeds are small synthetic files, one per feature the extractor handles (simple fonts
with Differences, Type0/Identity-H with ToUnicode, Type3, legacy TCVN3/VNI fonts, Form
XObjects, inherited resources, xref and object streams, Info/XMP metadata), with uncompressed
content streams so that mutations reach the interpreter. Real PDFs are added by
bench/fuzz/run.sh from corpus/ (see fuzz/tools/pdf_seeds.rs). Text seeds carry the one- or
two-byte selector each target reads first.
"""
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def stream(dict_body, data, compress=False):
    if compress:
        data = zlib.compress(data)
        dict_body += b" /Filter /FlateDecode"
    return b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def pdf(objects, root=1, info=None, version=b"1.4"):
    """objects: list of bytes bodies, object n is objects[n-1]."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    trailer = b"/Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def utf16(s):
    return b"<FEFF" + s.encode("utf-16-be").hex().upper().encode() + b">"


def page_doc(content, resources, extra_objects=(), info=None, compress=False):
    """Catalog 1, Pages 2, Page 3, content 4, then extra objects from 5."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
        + resources + b" /Contents 4 0 R >>",
        stream(b"", content, compress),
    ]
    objs += list(extra_objects)
    info_no = None
    if info is not None:
        objs.append(info)
        info_no = len(objs)
    return pdf(objs, info=info_no)


HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def simple():
    content = (
        b"BT /F1 24 Tf 72 760 Td (Lu\\341n v\\343n th\\341c s\\354) Tj ET\n"
        b"BT /F1 11 Tf 14 TL 72 700 Td (Nghi\\352n c\\372u khoa h\\371c) Tj T*"
        b" [(Kh) 20 (oa) -250 (h) 10 (\\371c)] TJ (Line three) ' 2 1 (four) \" ET\n"
        b"BT /F1 11 Tf 1 0 0 1 320 700 Tm 0.5 Tc 2 Tw 90 Tz 3 Ts (Right column) Tj"
        b" 0 -14 TD (second line) Tj ET\n"
        b"BT /F1 10 Tf 0 1 -1 0 560 100 Tm (rotated) Tj ET\n"
    )
    info = (
        b"<< /Title " + utf16("Nghiên cứu ứng dụng học sâu") +
        b" /Author (Nguy\\352n V\\343n A) /CreationDate (D:20190512093000+07'00') >>"
    )
    return page_doc(content, b"<< /Font << /F1 5 0 R >> >>", [HELV], info)


def differences():
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /FirstChar 32 /LastChar 255"
        b" /Widths [" + b" 500" * 224 + b"] /Encoding << /Type /Encoding"
        b" /BaseEncoding /WinAnsiEncoding /Differences [128 /uni1EA1 /uni1EC7 /dotlessi"
        b" /acutecomb /gravecomb /hookabovecomb /tildecomb /dotbelowcomb /fi /fl /ohorn"
        b" /uhorn /dcroat /g123 /a1 /uni01B0] >> >>"
    )
    content = (
        b"BT /F1 12 Tf 72 760 Td (\\200 \\201 \\202 a\\203 o\\204 \\205\\210 \\211 \\212) Tj"
        b" 0 -14 Td (\\213 \\214 \\215 \\216 \\217) Tj ET"
    )
    return page_doc(content, b"<< /Font << /F1 5 0 R >> >>", [font])


def legacy():
    # .VnTime (TCVN3): "Trường đại học Thủy lợi"; VNI-Times: "Trường đại học".
    tcvn = "Tr\xadêng \xae\xb9i häc Thñy lîi".encode("latin-1")
    vni = "Tröôøng ñaïi hoïc".encode("cp1252")
    def lit(b):
        return b"(" + b.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
    content = (
        b"BT /F1 16 Tf 72 760 Td " + lit(tcvn) + b" Tj ET\n"
        b"BT /F2 16 Tf 72 730 Td " + lit(tcvn.upper()) + b" Tj ET\n"
        b"BT /F3 12 Tf 72 700 Td " + lit(vni) + b" Tj ET\n"
    )
    fonts = [
        b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+.VnTime /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /.VnTimeH,Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /VNI-Times /Encoding /WinAnsiEncoding >>",
    ]
    return page_doc(content, b"<< /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R >> >>", fonts)


def type0():
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"3 beginbfchar <0003> <0020> <0011> <0111> <0012> <1EA1> endbfchar\n"
        b"2 beginbfrange <0024> <003D> <0041> <0044> <0046> [<0061> <0062> <00660069>]"
        b" endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end"
    )
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+TimesNewRomanPSMT"
            b" /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>")
    cid = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+TimesNewRomanPSMT"
           b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
           b" /DW 1000 /W [3 [250] 17 18 500 36 [722 667 667]] /CIDToGIDMap /Identity >>")
    content = (
        b"BT /F1 12 Tf 72 760 Td <00240025002600030011001200030044004500460047> Tj"
        b" 0 -14 Td [<0024> -120 <0025> 3000 <0026>] TJ ET"
    )
    return page_doc(content, b"<< /Font << /F1 5 0 R >> >>",
                    [font, cid, stream(b"", cmap)])


def type3():
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 750 750]"
        b" /FontMatrix [0.001 0 0 0.001 0 0] /FirstChar 97 /LastChar 99 /Widths [500 500 500]"
        b" /Encoding << /Type /Encoding /Differences [97 /a /b /Omega] >>"
        b" /CharProcs << /a 6 0 R /b 6 0 R /Omega 6 0 R >> /Resources << >> >>"
    )
    proc_ = stream(b"", b"500 0 0 0 750 750 d1 0 0 750 750 re f")
    content = b"BT /F1 20 Tf 72 760 Td (abcab) Tj 2 0 0 2 72 700 Tm (cba) Tj ET"
    return page_doc(content, b"<< /Font << /F1 5 0 R >> >>", [font, proc_])


def forms():
    form = stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 300 100] /Matrix [1 0 0 1 0 0]"
        b" /Resources << /Font << /F9 6 0 R >> /XObject << /Fm2 8 0 R >> >>",
        b"BT /F9 14 Tf 10 50 Td (Text inside a form) Tj ET /Fm2 Do",
    )
    inner = stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 300 100] /Resources << /Font << /F9 6 0 R >> >>",
        b"BT /F9 9 Tf 10 10 Td (Nested form) Tj ET",
    )
    content = (b"q 1 0 0 1 72 600 cm /Fm1 Do Q q 0.5 0 0 0.5 72 400 cm /Fm1 Do Q"
               b" BT /F9 12 Tf 72 760 Td (Page text) Tj ET")
    return page_doc(content, b"<< /Font << /F9 6 0 R >> /XObject << /Fm1 5 0 R >> >>",
                    [form, HELV, b"null", inner])


def tree():
    # Nested page tree, inherited Resources and MediaBox, Rotate, a Contents array, an empty page.
    c1 = stream(b"", b"BT /F1 12 Tf 72 760 Td (First part ")
    c2 = stream(b"", b"of the page) Tj ET")
    c3 = stream(b"", b"BT /F1 12 Tf 72 760 Td (Second page, rotated) Tj ET", compress=True)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 10 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 /MediaBox [0 0 612 792]"
        b" /Resources << /Font << /F1 9 0 R >> >> >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R >>",
        b"<< /Type /Page /Parent 3 0 R /Contents [7 0 R 8 0 R] >>",
        b"<< /Type /Page /Parent 3 0 R /Rotate 90 /Contents 11 0 R >>",
        c1, c2, HELV,
        stream(b"/Type /Metadata /Subtype /XML",
               '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
               '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
               '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Báo cáo đề tài</rdf:li></rdf:Alt></dc:title>'
               '<dc:creator><rdf:Seq><rdf:li>Trần Thị B</rdf:li></rdf:Seq></dc:creator>'
               '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'.encode()),
        c3,
    ]
    return pdf(objs)


def objstm():
    # PDF 1.5 with an object stream and a cross-reference stream.
    content = b"BT /F1 12 Tf 72 760 Td (Object streams) Tj ET"
    in_stm = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Courier >> >> >>"
            b" /Contents 4 0 R >>"),
    ]
    header, body = b"", b""
    for num, obj in in_stm:
        header += b"%d %d " % (num, len(body))
        body += obj + b" "
    out = bytearray(b"%PDF-1.5\n")
    offs = {}
    offs[4] = len(out)
    out += b"4 0 obj\n" + stream(b"", content) + b"\nendobj\n"
    offs[5] = len(out)
    out += b"5 0 obj\n" + stream(b"/Type /ObjStm /N 3 /First %d" % len(header), header + body, True) + b"\nendobj\n"
    xref_off = len(out)
    rows = [b"\x00" + b"\x00" * 4 + b"\xff"] + [b"\x02" + (5).to_bytes(4, "big") + bytes([i]) for i in range(3)]
    rows.append(b"\x01" + offs[4].to_bytes(4, "big") + b"\x00")
    rows.append(b"\x01" + offs[5].to_bytes(4, "big") + b"\x00")
    rows.append(b"\x01" + xref_off.to_bytes(4, "big") + b"\x00")
    out += b"6 0 obj\n" + stream(b"/Type /XRef /Size 7 /W [1 4 1] /Root 1 0 R", b"".join(rows), True) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_off
    return bytes(out)


def pdfs():
    for name, fn in [("simple", simple), ("differences", differences), ("legacy", legacy),
                     ("type0", type0), ("type3", type3), ("forms", forms), ("tree", tree),
                     ("objstm", objstm)]:
        write("pdf_extract", name + ".pdf", fn())


def queries():
    qs = [
        (0x00, 0x11, "luận văn thạc sĩ"),
        (0x01, 0x22, "luan van thac si"),
        (0x02, 0x13, '"khoa học" -máy title:Đại author:Nguyễn'),
        (0x03, 0x14, "year:2015-2020 học sâu OR mạng"),
        (0x9c, 0x35, "tieude:hồi quy nam:2019 -year:2020 OR"),
        (0x7d, 0x02, 'hoà thuỷ "linear regression" COVID-19 đường'),
        (0xff, 0xf7, 'OR OR - "" title: "unclosed quote năm..2005'),
        (0x04, 0x11, "Rcpp zoo LaTeX vntex"),
        (0x10, 0x11, "d2l-vi.introduction.index"),
        (0x00, 0x11, "ho\u0300a bi\u0300nh"),
    ]
    for i, (flags, sizes, q) in enumerate(qs):
        write("query_search", "q%02d" % i, bytes([flags, sizes]) + q.encode())


def legacy_texts():
    tcvn = "Trường đại học Thủy lợi, luận văn thạc sĩ khoa học".encode("utf-8")
    samples = [
        (0, "Tr\xadêng \xae\xb9i häc Thñy lîi".encode("latin-1")),
        (2, b"TR\xa6\xeaNG \xa7\xb9I H\xe4C"),
        (1, "Tröôøng ñaïi hoïc Baùch khoa Haø Noäi".encode("cp1252")),
        (0, "Tr−êng ®¹i häc Thñy lîi".encode("utf-8")),
        (1, "Tröôøng ñaïi hoïc".encode("utf-8")),
        (0, tcvn),
        (0, "Nghiên cứu ứng dụng\nhọc sâu ﬁ ﬂ\u00ad\u200b  ho\u0300a COVID-19".encode("utf-8")),
        (3, b"\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf\xb5\xb6\xb7\xb8\xb9"),
    ]
    for i, (sel, data) in enumerate(samples):
        write("legacy_text", "t%02d" % i, bytes([sel]) + data)


def records():
    jsonl = (
        '{"id": "d2l-1", "title": "Giới thiệu", "authors": ["Aston Zhang", "Mu Li"], '
        '"doc_type": "book", "language": "vi", "year": 2021, "abstract": "Cho đến gần đây", '
        '"keywords": "học máy; học sâu", "url": "https://d2l.aivivn.com/", "text": "Hoà bình"}\n'
        '{"id": 7, "title": "Hồi quy tuyến tính", "year": "2019", "doc_type": "luận văn"}\n'
        '\n["not", "an", "object"]\n{"id": "x", "title": 3}\n{"file": "a.pdf", "title": "T"}\n'
    )
    csv = (
        "\ufeffid,title,authors,year,doc_type,language,keywords,url,text\n"
        'ctan-lshort,"The not so Short Introduction to LaTeX","T. Oetiker; H. Partl",2005,book,vi,LaTeX; TeX,https://ctan.org/,\n'
        'bad-year,Tiêu đề,Nguyễn Văn A,năm 2019,thesis,vi,,,\n'
        'short,row\n'
        '"quoted ""id""","Đại học ""Bách khoa""",,,,,,,"multi\nline"\n'
    )
    overrides = "file,title,year\na.pdf,Luận văn,2020\n./b/c.pdf,,\n"
    write("records", "r00.jsonl", b"\x00" + jsonl.encode())
    write("records", "r01.csv", b"\x01" + csv.encode())
    write("records", "r02.csv", b"\x01" + overrides.encode())
    write("records", "r03.jsonl", b"\x00" + b'{"id":"a","title":"\xff\xfe"}\n{"id":"b","text":"x"}')


if __name__ == "__main__":
    pdfs()
    queries()
    legacy_texts()
    records()
