// Vietnamese first, English on request; the choice is kept in localStorage.
// Elements carry data-i18n (text), data-i18n-placeholder and data-i18n-aria (aria-label) keys.
(function () {
  "use strict";
  var STRINGS = {
    vi: {
      skip: "Bỏ qua, đến kết quả", skip_doc: "Bỏ qua, đến nội dung",
      brand: "Tìm kiếm tài liệu khoa học", q_label: "Từ khóa tìm kiếm",
      q_placeholder: "ví dụ: luan van hoc sau, \"xử lý ảnh\" -y tế",
      q_help: "Gõ có dấu hoặc không dấu. \"cụm từ\" tìm đúng cụm; -từ để loại trừ; OR để chọn một trong hai; title:, author:, year:2015-2020.",
      search: "Tìm", suggestions: "Gợi ý", filters: "Bộ lọc", sort: "Sắp xếp",
      sort_auto: "Mặc định", sort_relevance: "Liên quan nhất", sort_newest: "Mới nhất", sort_oldest: "Cũ nhất",
      years: "Năm", year_from: "Từ năm", year_to: "Đến năm", apply: "Áp dụng",
      pagination: "Phân trang", collections: "Bộ sưu tập",
      footer: "Tìm kiếm không phân biệt dấu; kết quả đúng dấu được xếp trước.",
      facet_collection: "Bộ sưu tập", facet_doc_type: "Loại tài liệu", facet_lang: "Ngôn ngữ", facet_year: "Năm",
      remove_filter: "Bỏ lọc", all: "Tất cả",
      type_thesis: "Khóa luận tốt nghiệp", type_master: "Luận văn thạc sĩ", type_doctoral: "Luận án tiến sĩ",
      type_report: "Báo cáo", type_article: "Bài báo", type_book: "Sách", type_slides: "Bài trình chiếu", type_other: "Khác",
      lang_vi: "Tiếng Việt", lang_en: "Tiếng Anh", lang_fr: "Tiếng Pháp", lang_de: "Tiếng Đức", lang_und: "Không rõ",
      results: "Khoảng {n} kết quả ({ms} ms)", results_page: "Trang {p} — khoảng {n} kết quả ({ms} ms)",
      latest: "{n} tài liệu, mới nhất trước",
      searching: "Đang tìm…", loading: "Đang tải…",
      empty: "Không tìm thấy kết quả cho “{q}”.",
      empty_help: "Hãy thử bỏ dấu, dùng ít từ hơn, kiểm tra chính tả hoặc bỏ bớt bộ lọc.",
      error: "Không thể tìm kiếm: {msg}", error_help: "Hãy sửa từ khóa hoặc thử lại sau ít phút.",
      related_en: "Tài liệu tiếng Anh liên quan", related_vi: "Tài liệu tiếng Việt liên quan", related_help: "Tìm theo nghĩa, bằng mô hình ngôn ngữ: có thể không chứa từ khóa.",
      page: "trang {n}", pages_label: "Trang khớp:", prev: "← Trước", next: "Sau →",
      authors: "Tác giả", advisor: "Người hướng dẫn", institution: "Cơ quan", year: "Năm", type: "Loại tài liệu",
      collection: "Bộ sưu tập", language: "Ngôn ngữ", page_count: "Số trang", keywords: "Từ khóa", link: "Liên kết",
      translation_en: "Bản tiếng Anh", translation_vi: "Bản tiếng Việt",
      ocr: "Ghi chú", needs_ocr: "Bản quét chưa có lớp chữ: chỉ tìm được theo thông tin mô tả.",
      ocr_text: "văn bản nhận dạng tự động (OCR)",
      title_from_file: "Chưa xác định được nhan đề: trên đây là tên tệp.", title_file_short: "(tên tệp)",
      abstract: "Tóm tắt", open_pdf: "Mở tệp PDF", record_only: "Bản ghi thư mục: không có tệp toàn văn.",
      back: "← Quay lại kết quả", cite: "Trích dẫn", cite_format: "Định dạng trích dẫn", cite_text: "Nội dung trích dẫn",
      copy: "Sao chép", download: "Tải xuống", copied: "Đã sao chép.", copy_failed: "Không sao chép được: hãy chọn và sao chép thủ công.",
      similar: "Tài liệu tương tự", no_similar: "Chưa có tài liệu tương tự.", record: "bản ghi",
      docs_count: "{n} tài liệu, {p} trang", kind_title: "nhan đề", kind_keyword: "từ khóa",
      switch_to: "English", switch_lang: "en"
    },
    en: {
      skip: "Skip to results", skip_doc: "Skip to content",
      brand: "Scholarly literature search", q_label: "Search terms",
      q_placeholder: "e.g. luan van hoc sau, \"xử lý ảnh\" -y tế",
      q_help: "Type with or without Vietnamese diacritics. \"phrase\" for exact phrases; -word to exclude; OR for either; title:, author:, year:2015-2020.",
      search: "Search", suggestions: "Suggestions", filters: "Filters", sort: "Sort by",
      sort_auto: "Default", sort_relevance: "Relevance", sort_newest: "Newest", sort_oldest: "Oldest",
      years: "Year", year_from: "From", year_to: "To", apply: "Apply",
      pagination: "Pagination", collections: "Collections",
      footer: "Search ignores diacritics; exact spellings rank first.",
      facet_collection: "Collection", facet_doc_type: "Document type", facet_lang: "Language", facet_year: "Year",
      remove_filter: "Remove filter", all: "All",
      type_thesis: "Bachelor's thesis", type_master: "Master's thesis", type_doctoral: "Doctoral dissertation",
      type_report: "Report", type_article: "Article", type_book: "Book", type_slides: "Slides", type_other: "Other",
      lang_vi: "Vietnamese", lang_en: "English", lang_fr: "French", lang_de: "German", lang_und: "Unknown",
      results: "About {n} results ({ms} ms)", results_page: "Page {p} of about {n} results ({ms} ms)",
      latest: "{n} documents, newest first",
      searching: "Searching…", loading: "Loading…",
      empty: "No results for “{q}”.",
      empty_help: "Try without diacritics, with fewer words, check the spelling or remove some filters.",
      error: "Search failed: {msg}", error_help: "Correct the query or try again in a few minutes.",
      related_en: "Related English documents", related_vi: "Related Vietnamese documents", related_help: "Found by meaning, with a language model: they may not contain your words.",
      page: "page {n}", pages_label: "Matching pages:", prev: "← Previous", next: "Next →",
      authors: "Authors", advisor: "Advisor", institution: "Institution", year: "Year", type: "Document type",
      collection: "Collection", language: "Language", page_count: "Pages", keywords: "Keywords", link: "Link",
      translation_en: "In English", translation_vi: "In Vietnamese",
      ocr: "Note", needs_ocr: "Scanned without a text layer: findable by its metadata only.",
      ocr_text: "text recognised automatically (OCR)",
      title_from_file: "No title was found: the heading above is the file name.", title_file_short: "(file name)",
      abstract: "Abstract", open_pdf: "Open the PDF", record_only: "Catalogue record: no full text file.",
      back: "← Back to results", cite: "Cite", cite_format: "Citation format", cite_text: "Citation",
      copy: "Copy", download: "Download", copied: "Copied.", copy_failed: "Could not copy: select the text and copy it by hand.",
      similar: "Similar documents", no_similar: "No similar documents yet.", record: "record",
      docs_count: "{n} documents, {p} pages", kind_title: "title", kind_keyword: "keyword",
      switch_to: "Tiếng Việt", switch_lang: "vi"
    }
  };

  function current() {
    var l = null;
    try { l = window.localStorage.getItem("lang"); } catch (e) { /* storage may be blocked */ }
    return l === "en" ? "en" : "vi";
  }

  function t(key, vars) { return tIn(current(), key, vars); }

  // A string in a given language whatever the page's: what answers a query speaks its language.
  function tIn(lang, key, vars) {
    var s = (STRINGS[lang] || STRINGS.vi)[key];
    if (s === undefined) { s = STRINGS.vi[key]; }
    if (s === undefined) { return key; }
    if (vars) {
      s = s.replace(/\{(\w+)\}/g, function (m, k) { return vars[k] !== undefined ? String(vars[k]) : m; });
    }
    return s;
  }

  function has(key) { return STRINGS.vi[key] !== undefined; }

  function apply(root) {
    root = root || document;
    var lang = current();
    document.documentElement.lang = lang;
    root.querySelectorAll("[data-i18n]").forEach(function (el) {
      var k = el.getAttribute("data-i18n");
      if (has(k)) { el.textContent = t(k); }
    });
    root.querySelectorAll("[data-i18n-placeholder]").forEach(function (el) {
      el.setAttribute("placeholder", t(el.getAttribute("data-i18n-placeholder")));
    });
    root.querySelectorAll("[data-i18n-aria]").forEach(function (el) {
      el.setAttribute("aria-label", t(el.getAttribute("data-i18n-aria")));
    });
    var btn = document.getElementById("lang-toggle");
    if (btn) {
      btn.textContent = t("switch_to");
      btn.setAttribute("lang", t("switch_lang"));
    }
  }

  function setLang(lang) {
    try { window.localStorage.setItem("lang", lang); } catch (e) { /* ignore */ }
    apply(document);
    document.dispatchEvent(new CustomEvent("langchange"));
  }

  window.I18N = { t: t, tIn: tIn, has: has, apply: apply, lang: current, setLang: setLang };

  document.addEventListener("DOMContentLoaded", function () {
    apply(document);
    var btn = document.getElementById("lang-toggle");
    if (btn) {
      btn.addEventListener("click", function () { setLang(current() === "vi" ? "en" : "vi"); });
    }
  });
})();
