//! Ground truth for metadata inference: hand-checked covers of Vietnamese theses and reports
//! from the shared corpus, scored field by field.
//!
//! Every row was written by reading the cover (`pdftotext -f 1 -l 3 FILE -`, `pdfinfo FILE`),
//! not by running the code. Conventions:
//! - doc_type follows `DocType`: `ĐỒ ÁN` (course or graduation project) and `LUẬN VĂN TỐT
//!   NGHIỆP` are `thesis`; `BÁO CÁO`, `BÀI TẬP LỚN`, `DỰ ÁN`, student research are `report`;
//!   a course report whose cover names no kind is `report` too (its file name says so).
//! - year is the year printed on the cover; when the cover has none, the PDF creation year.
//! - institution is the university (not the faculty); `None` when the cover names none.
//! - author is the first author as printed (title case), `None` when the cover names none.
//!
//! Two runs: the product path (`indexer::pdf::extract_file`, what ingestion uses) and, as a
//! cross-check of the heuristics independent of our extractor, poppler (layout lines from
//! `pdftotext -bbox-layout`, line box height ≈ font size; page text from `pdftotext`; Info from
//! `pdfinfo -isodates`). Both scores are printed; both must reach the floor.
//!
//! The shared corpus is read in place (files marked "local testing only" must not be copied);
//! without it the test prints a message and passes; without pdftotext only the product path
//! runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use indexer::doc::{DocMetadata, DocType, Page};
use indexer::metadata::{infer, LayoutLine, PdfInfo};
use indexer::text::fold::fold;
use indexer::text::normalize;

struct Truth {
    path: &'static str,
    title: &'static str,
    doc_type: DocType,
    year: Option<i32>,
    institution: Option<&'static str>,
    author: Option<&'static str>,
}

const fn t(
    path: &'static str,
    title: &'static str,
    doc_type: DocType,
    year: Option<i32>,
    institution: Option<&'static str>,
    author: Option<&'static str>,
) -> Truth {
    Truth {
        path,
        title,
        doc_type,
        year,
        institution,
        author,
    }
}

use DocType::{Master, Report, Thesis};

const TRUTH: &[Truth] = &[
    t("corpus/vi/github/19521790+DoAnXLNNTN__Báo_cáo.pdf", "Gán nhãn từ loại tiếng Việt", Thesis, Some(2021), Some("Trường Đại học Công nghệ Thông tin"), Some("Nguyễn Như Long")),
    t("corpus/vi/github/HaPhuong03+dl-logreg-cervical-cancer__BaoCao.pdf", "Biến thể mô hình học sâu tiên tiến kết hợp Logistic Regression trong xử lý ảnh phát hiện tế bào ung thư cổ tử cung", Report, Some(2025), Some("Trường Đại học Công nghệ Thông tin"), Some("Lê Châu Khánh Vy")),
    t("corpus/vi/github/HieuPham-origin+NLP__BaoCao.pdf", "Nhập môn xử lý ngôn ngữ tự nhiên", Report, Some(2024), Some("Trường Đại học Tôn Đức Thắng"), Some("Phạm Đức Minh Hiếu")),
    t("corpus/vi/github/KhaiChutherock+Hybrid-Neural-Network-and-Simulated-Annealing-Algorithm-for-Optimizing-Wideband-Patch-Antenna__Báo_cáo.pdf", "Phương pháp kết hợp mạng nơ-ron nhân tạo và thuật toán mô phỏng luyện kim trong tối ưu ăng-ten vi dải băng rộng", Report, Some(2024), Some("Đại học Bách khoa Hà Nội"), Some("Chu Quang Khải")),
    t("corpus/vi/github/LYLY-1+Breast_Cancer__KhoaLuan.pdf", "Tiếp cận hỗ trợ chẩn đoán ung thư từ nhũ ảnh sử dụng phương pháp học sâu", Thesis, Some(2023), Some("Trường Đại học Công nghiệp TP.HCM"), Some("Nguyễn Thị Thanh Hòa")),
    t("corpus/vi/github/MaoBui2907+nlp-parser__BaoCao.pdf", "Xây dựng trình phân tích cú pháp tiếng Việt", Report, Some(2020), Some("Đại học Công nghệ Thông tin"), Some("Bùi Nguyên Mão")),
    t("corpus/vi/github/MyTaeyeon+Neighbor-based-CF__Báo_cáo.pdf", "Sử dụng phương pháp lọc cộng tác cho bài toán gợi ý sản phẩm", Report, Some(2024), Some("Học viện Công nghệ Bưu chính Viễn thông"), Some("Nguyễn Khánh Linh")),
    t("corpus/vi/github/Nghia12a1ne+BUILDING-SPEED-FORECAST-MODEL-GDP-GROWTH-OF-A-COUNTRY__Báo_cáo.pdf", "Xây dựng mô hình dự báo tốc độ tăng trưởng GDP của một quốc gia", Thesis, Some(2021), Some("Trường Đại học Công nghệ Thông tin"), Some("Nguyễn Văn Hữu Nghĩa")),
    t("corpus/vi/github/PSPSENKO68+Analysis-of-the-influence-of-foreign-culture-on-Vietnamese-song-lyrics__baocao.pdf", "Phân tích sự ảnh hưởng của văn hoá nước ngoài đến lời bài hát tiếng Việt", Report, Some(2026), Some("Trường Đại học Tôn Đức Thắng"), Some("Nguyễn Hoàng Khánh Duy")),
    t("corpus/vi/github/PhamTruongUit+Age-prediction__Report.pdf", "Age Prediction", Thesis, Some(2021), Some("Đại học Công nghệ Thông tin"), Some("Phạm Ngọc Trường")),
    t("corpus/vi/github/VanMinh153+IT3160_AI_Caro__IT3160_-_Báo_cáo_nhóm_4.pdf", "AI chơi cờ Caro", Report, Some(2024), Some("Đại học Bách khoa Hà Nội"), Some("Nguyễn Văn Minh")),
    t("corpus/vi/github/chiendo97+thesis__khoaluan.pdf", "Hệ thống thực hiện A/B test trong quảng cáo", Thesis, Some(2022), Some("Trường Đại học Công nghệ"), Some("Lê Tiến Chiến")),
    t("corpus/vi/github/datnt2003+Give-Me-Some-Credit-report-Machine-Learning__BaoCao.pdf", "Machine Learning", Thesis, Some(2023), Some("Trường Đại học Công nghiệp TP Hồ Chí Minh"), Some("Nguyễn Tấn Đạt")),
    t("corpus/vi/github/haivodoimd12+HMMs---CCFD__Báo_cáo_.pdf", "Phát hiện gian lận thẻ tín dụng bằng mô hình Markov ẩn", Report, Some(2020), Some("Trường Đại học Bách khoa Hà Nội"), Some("Nguyễn Thanh Hải")),
    t("corpus/vi/github/hoanghai1607+HeHoTroQuyetDinh__BaoCao.pdf", "Tìm hiểu về Deep Learning trong việc nhận diện chữ số viết tay", Report, Some(2024), Some("Trường Đại học Công nghiệp Hà Nội"), Some("Lưu Minh Chiến")),
    t("corpus/vi/github/hoangnghiem205+thesis__khoaluan.pdf", "Ứng dụng otomat hữu hạn nâng cao trong mã hóa và an toàn dữ liệu", Master, Some(2018), Some("Trường Đại học Bách khoa Hà Nội"), Some("Nghiêm Minh Hoàng")),
    t("corpus/vi/github/huytran1120+cautrucdudieuvagiaithuat__BaoCao.pdf", "Giải thích chi tiết giải thuật và cách lập trình các bài toán mã đi tuần, xếp hậu và Sudoku", Report, Some(2022), Some("Trường Đại học Khoa học Tự nhiên"), Some("Trần Công Huy")),
    // The university line is set in a TCVN3 font: poppler prints "TR¦êNG §¹I HäC …".
    t("corpus/vi/github/klaa+luan_van__tk.pdf", "Nghiên cứu mạng nơron CNN và ứng dụng trong bài toán phân loại ảnh", Master, Some(2020), Some("Trường Đại học Công nghệ Thông tin và Truyền thông"), Some("Lê Cẩm Hà")),
    // No cover in the PDF: it starts with the declaration (LỜI CAM ĐOAN), which quotes the title.
    t("corpus/vi/github/klaa+luan_van__LuanVan.pdf", "Nghiên cứu hỗ trợ chuẩn đoán bệnh lao dựa vào học máy", Master, Some(2022), Some("Trường Đại học Công nghệ Thông tin và Truyền thông"), Some("Nguyễn Hữu Khánh")),
    t("corpus/vi/github/lamtung16+Freefem-__BaoCao.pdf", "Mô phỏng dòng chảy một đoạn sông Cửu Long", Report, Some(2019), Some("Trường Đại học Bách khoa Hà Nội"), Some("Nguyễn Lâm Tùng")),
    t("corpus/vi/github/minhcuong1510381+report__luanvan.pdf", "Nghiên cứu & phát triển công cụ hỗ trợ và đánh giá cho từng cá nhân trên Moodle", Thesis, Some(2019), Some("Trường Đại học Bách khoa"), Some("Phan Minh Cường")),
    t("corpus/vi/github/nd-hung+thesis-template__Thesis_template_for_Nha_Trang_University.pdf", "Tìm hiểu mạng neural tích chập ứng dụng xây dựng hệ thống nhận dạng loài vật qua ảnh", Thesis, Some(2022), Some("Trường Đại học Nha Trang"), Some("Lê Trọng Kha")),
    t("corpus/vi/github/nducthang+PageRank__Bao_cao.pdf", "Thuật toán PageRank và ứng dụng", Report, Some(2020), Some("Trường Đại học Bách khoa Hà Nội"), Some("Nguyễn Đức Thắng")),
    t("corpus/vi/github/truongphuoc1509+FACTORS-AFFECTING-IMPRESSIVE-BUYING-BEHAVIOR__NCKH.pdf", "Nghiên cứu các nhân tố ảnh hưởng đến hành vi mua hàng ngẫu hứng của sinh viên ĐHQG trên các trang thương mại điện tử", Report, Some(2022), Some("Trường Đại học Kinh tế - Luật"), None),
    t("corpus/vi/github/vuhuyhop197+SCARA__LuanVan.pdf", "Phân loại hàng hóa trên băng tải dùng robot SCARA", Thesis, Some(2019), Some("Trường Đại học Bách khoa TP. Hồ Chí Minh"), Some("Vũ Huy Hợp")),
    // Title page of a course report: no institution on it.
    t("corpus/vi/github/bt-ngo+Information_Retrieval__Báo_cáo.pdf", "Truy xuất thông tin bằng mô hình không gian vector và mô hình xác suất", Report, Some(2022), None, Some("Ngô Bảo Trân")),
];

/// The least share of right fields over the table; the implementation reaches more (see the
/// printed totals), the floor catches regressions.
const FLOOR: f64 = 0.80;

fn shared_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("SHARED_DIR").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")),
        Some(PathBuf::from("/work/shared")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("MANIFEST.tsv").is_file())
}

fn have_poppler() -> bool {
    Command::new("pdftotext").arg("-v").output().is_ok()
        && Command::new("pdfinfo").arg("-v").output().is_ok()
}

/// Runs a poppler tool on `file`; `args` may hold `{}` for the file's place.
fn run(cmd: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(cmd)
        .args(args.iter().map(|a| {
            if *a == "{}" {
                file.as_os_str()
            } else {
                std::ffi::OsStr::new(a)
            }
        }))
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of attribute `name` in one XML tag.
fn attr(tag: &str, name: &str) -> Option<f32> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = start + tag[start..].find('"')?;
    tag[start..end].parse().ok()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Layout lines from `pdftotext -bbox-layout`: one per `<line>`, font size = the tallest word
/// box, top = the bottom of the line box (close to the baseline).
fn parse_bbox(xml: &str) -> Vec<LayoutLine> {
    let mut lines = Vec::new();
    let mut page: Option<usize> = None;
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("<page ") {
            page = Some(page.map_or(0, |p| p + 1));
            rest = &rest[1..];
        } else if rest.starts_with("<line ") {
            let end = rest.find("</line>").unwrap_or(rest.len());
            let body = &rest[..end];
            let mut words = Vec::new();
            let mut size = 0.0f32;
            let mut w = body;
            while let Some(j) = w.find("<word ") {
                w = &w[j..];
                let tag_end = w.find('>').unwrap_or(w.len());
                let tag = &w[..tag_end];
                let text_end = w.find("</word>").unwrap_or(w.len());
                let text = &w[tag_end + 1..text_end];
                if let (Some(y0), Some(y1)) = (attr(tag, "yMin"), attr(tag, "yMax")) {
                    size = size.max(y1 - y0);
                }
                words.push(unescape(text));
                w = &w[text_end..];
            }
            let tag_end = body.find('>').unwrap_or(0);
            let top = attr(&body[..tag_end], "yMax").unwrap_or(0.0);
            lines.push(LayoutLine {
                text: normalize(&words.join(" ")),
                font_size: size,
                page: page.unwrap_or(0),
                top,
                bold: false,
                marks_apart: None,
            });
            rest = &rest[end..];
        } else {
            rest = &rest[1..];
        }
    }
    lines
}

/// Info from `pdfinfo -isodates`.
fn parse_pdfinfo(text: &str) -> PdfInfo {
    let mut info = PdfInfo::default();
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        let v = Some(v.to_string());
        match k.trim() {
            "Title" => info.title = v,
            "Author" => info.author = v,
            "Subject" => info.subject = v,
            "Keywords" => info.keywords = v,
            "Creator" => info.creator = v,
            "Producer" => info.producer = v,
            "CreationDate" => info.creation_date = v,
            "ModDate" => info.modification_date = v,
            _ => {}
        }
    }
    info
}

/// What `infer` reads: Info, layout lines of the first pages, page texts.
type Inputs = (PdfInfo, Vec<LayoutLine>, Vec<Page>);

fn poppler_inputs(file: &Path) -> Inputs {
    let info = parse_pdfinfo(&run("pdfinfo", &["-isodates", "{}"], file));
    let layout = parse_bbox(&run(
        "pdftotext",
        &["-bbox-layout", "-f", "1", "-l", "3", "{}", "-"],
        file,
    ));
    let pages = run("pdftotext", &["-f", "1", "-l", "8", "{}", "-"], file)
        .split('\u{c}')
        .map(|t| Page {
            text: normalize(t),
            no_text: t.trim().is_empty(),
            ocr: false,
        })
        .collect();
    (info, layout, pages)
}

/// Folded, lower case, letters and digits only, single spaces.
fn key(s: &str) -> String {
    let f = fold(&normalize(s)).to_lowercase();
    f.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Per-field verdicts for one document: title, doc_type, year, institution, author.
fn score(truth: &Truth, got: &DocMetadata) -> [Option<bool>; 5] {
    let title = got
        .title
        .as_deref()
        .is_some_and(|g| key(g) == key(truth.title));
    let doc_type = got.doc_type == truth.doc_type;
    let year = got.year == truth.year;
    let institution = match (truth.institution, got.institution.as_deref()) {
        (None, None) => true,
        (Some(t), Some(g)) => {
            let (t, g) = (key(t), key(g));
            g.contains(&t) || (t.contains(&g) && g.split(' ').count() >= 3)
        }
        _ => false,
    };
    let author = truth
        .author
        .map(|a| got.authors.first().is_some_and(|g| key(g) == key(a)));
    [
        Some(title),
        Some(doc_type),
        Some(year),
        Some(institution),
        author,
    ]
}

const FIELDS: [&str; 5] = ["title", "doc_type", "year", "institution", "author"];

/// Runs `infer` on every row with inputs from `inputs`, prints the table, returns the share of
/// right fields.
fn evaluate(shared: &Path, label: &str, inputs: &dyn Fn(&Path) -> Option<Inputs>) -> Option<f64> {
    let mut right = [0usize; 5];
    let mut total = [0usize; 5];
    println!("\n== metadata ground truth, inputs from {label} ==");
    for truth in TRUTH {
        let file = shared.join(truth.path);
        let Some((info, layout, pages)) = inputs(&file) else {
            println!("skip (no input): {}", truth.path);
            continue;
        };
        let got = infer(&info, &layout, &pages);
        let verdicts = score(truth, &got);
        let marks: String = verdicts
            .iter()
            .map(|v| match v {
                Some(true) => '✓',
                Some(false) => '✗',
                None => '·',
            })
            .collect();
        let name = truth.path.rsplit('/').next().unwrap_or(truth.path);
        println!("{marks}  {:<60.60}", name);
        for (i, v) in verdicts.iter().enumerate() {
            if let Some(ok) = v {
                total[i] += 1;
                if *ok {
                    right[i] += 1;
                } else {
                    let (want, have) = match i {
                        0 => (truth.title.to_string(), format!("{:?}", got.title)),
                        1 => (truth.doc_type.to_string(), got.doc_type.to_string()),
                        2 => (format!("{:?}", truth.year), format!("{:?}", got.year)),
                        3 => (
                            format!("{:?}", truth.institution),
                            format!("{:?}", got.institution),
                        ),
                        _ => (format!("{:?}", truth.author), format!("{:?}", got.authors)),
                    };
                    println!(
                        "      {:<12} want {want}\n      {:<12} got  {have}",
                        FIELDS[i], ""
                    );
                }
            }
        }
    }
    let all_total: usize = total.iter().sum();
    if all_total == 0 {
        return None;
    }
    let all_right: usize = right.iter().sum();
    for i in 0..5 {
        println!("{:<12} {:>3}/{:<3}", FIELDS[i], right[i], total[i]);
    }
    let share = all_right as f64 / all_total as f64;
    println!(
        "{:<12} {:>3}/{:<3} = {:.1}%  ({} documents)",
        "total",
        all_right,
        all_total,
        share * 100.0,
        TRUTH.len()
    );
    Some(share)
}

#[test]
fn ground_truth_table_is_big_enough() {
    assert!(TRUTH.len() >= 20);
    let mut paths: Vec<&str> = TRUTH.iter().map(|t| t.path).collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), TRUTH.len(), "duplicate rows");
}

#[test]
fn metadata_matches_hand_checked_covers() {
    let Some(shared) = shared_dir() else {
        println!("skipping: the shared corpus (../shared or /work/shared) is missing");
        return;
    };
    let own = |f: &Path| {
        let opts = indexer::pdf::ExtractOptions {
            max_pages: Some(8),
            ..Default::default()
        };
        indexer::pdf::extract_file(f, &opts)
            .ok()
            .map(|x| (x.info, x.layout, x.pages))
    };
    let share =
        evaluate(&shared, "indexer::pdf::extract_file", &own).expect("no document could be read");
    assert!(
        share >= FLOOR,
        "metadata ground truth with our extractor: {:.1}% of fields right, floor {:.0}%",
        share * 100.0,
        FLOOR * 100.0
    );
    if !have_poppler() {
        println!("poppler cross-check skipped: pdftotext/pdfinfo are not installed");
        return;
    }
    let poppler = |f: &Path| f.is_file().then(|| poppler_inputs(f));
    let share = evaluate(&shared, "poppler", &poppler).expect("no document could be read");
    assert!(
        share >= FLOOR,
        "metadata ground truth with poppler: {:.1}% of fields right, floor {:.0}%",
        share * 100.0,
        FLOOR * 100.0
    );
}
