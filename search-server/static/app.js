// The search page: state lives in the URL (q, filters, sort, page) so results can be
// bookmarked and the back button works. Document text is only ever set with textContent;
// the one exception is the snippet, which the server has already HTML-escaped except for <mark>.
(function () {
  "use strict";
  var PAGE_SIZE = 10;
  var FACETS = ["collection", "doc_type", "lang", "year"];
  var $ = function (id) { return document.getElementById(id); };
  var t = function (k, v) { return window.I18N.t(k, v); };
  var lastResponse = null;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function params() { return new URLSearchParams(window.location.search); }

  function navigate(p, replace) {
    var qs = p.toString();
    var url = "/" + (qs ? "?" + qs : "");
    if (replace) { history.replaceState(null, "", url); } else { history.pushState(null, "", url); }
    load();
  }

  function update(changes) {
    var p = params();
    Object.keys(changes).forEach(function (k) {
      if (changes[k] === null || changes[k] === "") { p.delete(k); } else { p.set(k, changes[k]); }
    });
    if (!("page" in changes)) { p.delete("page"); }
    navigate(p);
  }

  function label(facet, value) {
    var key = facet === "doc_type" ? "type_" + value : facet === "lang" ? "lang_" + value : null;
    return key && window.I18N.has(key) ? t(key) : value;
  }

  function docUrl(id) { return "/doc/" + encodeURIComponent(id); }

  function renderHit(h) {
    var li = el("li", { "class": "hit" });
    var h2 = el("h2");
    var a = el("a", { href: docUrl(h.id) }, h.title);
    h2.appendChild(a);
    if (h.title_is_file_name) {
      h2.appendChild(document.createTextNode(" "));
      h2.appendChild(el("span", { "class": "muted title-note" }, t("title_file_short")));
    }
    li.appendChild(h2);
    var meta = [];
    if (h.authors && h.authors.length) { meta.push(h.authors.join("; ")); }
    if (h.year) { meta.push(String(h.year)); }
    meta.push(label("doc_type", h.doc_type));
    var m = el("p", { "class": "meta" }, meta.join(" · ") + " · ");
    m.appendChild(el("span", { "class": "badge" }, h.collection));
    if (!h.file_name) { m.appendChild(document.createTextNode(" · " + t("record"))); }
    li.appendChild(m);
    if (h.snippet) {
      var s = el("p", { "class": "snippet" });
      s.innerHTML = h.snippet; // escaped by the server, <mark> only
      li.appendChild(s);
    }
    if (h.file_name && h.pages && h.pages.length) {
      var pg = el("p", { "class": "pages" }, t("pages_label") + " ");
      h.pages.slice(0, 8).forEach(function (n) {
        pg.appendChild(el("a", {
          href: "/api/documents/" + encodeURIComponent(h.id) + "/file#page=" + n,
          target: "_blank", rel: "noopener", "class": "page-link"
        }, t("page", { n: n })));
      });
      li.appendChild(pg);
    }
    return li;
  }

  function renderFacets(r) {
    var box = $("facets");
    box.textContent = "";
    var p = params();
    FACETS.forEach(function (f) {
      var values = (r.facets && r.facets[f]) || [];
      var active = f === "year" ? null : p.get(f);
      if (!values.length && !active) { return; }
      var group = el("div", { "class": "filter-group", id: "facet-" + f });
      var hid = "facet-h-" + f;
      group.appendChild(el("h3", { id: hid }, t("facet_" + f)));
      var ul = el("ul", { "aria-labelledby": hid });
      values.slice(0, f === "year" ? 15 : 12).forEach(function (v) {
        var li = el("li");
        var pressed = f === "year"
          ? (p.get("year_from") === v.value && p.get("year_to") === v.value)
          : active === v.value;
        var b = el("button", { type: "button", "class": "facet-value", "aria-pressed": String(pressed),
                               "data-facet": f, "data-value": v.value });
        b.appendChild(el("span", { "class": "name" }, label(f, v.value)));
        b.appendChild(el("span", { "class": "count" }, String(v.count)));
        b.addEventListener("click", function () {
          if (f === "year") {
            update(pressed ? { year_from: null, year_to: null } : { year_from: v.value, year_to: v.value });
          } else {
            var c = {}; c[f] = pressed ? null : v.value; update(c);
          }
        });
        li.appendChild(b);
        ul.appendChild(li);
      });
      group.appendChild(ul);
      box.appendChild(group);
    });
  }

  function renderPager(r, page) {
    var nav = $("pager");
    nav.textContent = "";
    var pages = Math.min(Math.ceil(r.total / PAGE_SIZE), Math.floor(10000 / PAGE_SIZE));
    if (pages <= 1) { return; }
    function link(n, text) {
      var p = params();
      if (n === 1) { p.delete("page"); } else { p.set("page", String(n)); }
      var a = el("a", { href: "/?" + p.toString() }, text);
      if (n === page) { a.setAttribute("aria-current", "page"); }
      a.addEventListener("click", function (e) { e.preventDefault(); navigate(p); $("results").focus(); });
      return a;
    }
    if (page > 1) { nav.appendChild(link(page - 1, t("prev"))); }
    var from = Math.max(1, page - 3), to = Math.min(pages, from + 6);
    for (var n = from; n <= to; n++) { nav.appendChild(link(n, String(n))); }
    if (page < pages) { nav.appendChild(link(page + 1, t("next"))); }
  }

  function showMessage(cls, title, help) {
    var d = el("div", { "class": cls, role: cls === "error" ? "alert" : "status" });
    d.appendChild(el("p", null, title));
    d.appendChild(el("p", null, help));
    $("hits").appendChild(d);
  }

  // With a language model on the server, the nearest documents in the other language
  // (other_language), headed in the language of the query whatever the page's: "Tài liệu
  // tiếng Anh liên quan" under a Vietnamese query, "Related Vietnamese documents" under an
  // English one, since an English-speaking visitor may not read the Vietnamese page.
  function renderRelated(r) {
    var list = r.other_language || [];
    var box = $("related");
    $("related-hits").textContent = "";
    box.hidden = !list.length;
    if (!list.length) { return; }
    var theirs = list[0].lang === "en" ? "en" : "vi";
    var own = theirs === "en" ? "vi" : "en";
    [["related-title", "related_" + theirs], ["related-help", "related_help"]].forEach(function (e) {
      $(e[0]).textContent = window.I18N.tIn(own, e[1]);
      $(e[0]).setAttribute("lang", own);
    });
    list.forEach(function (h) { $("related-hits").appendChild(renderHit(h)); });
  }

  function render(r, page) {
    lastResponse = { r: r, page: page };
    var p = params();
    $("hits").textContent = "";
    $("status").textContent = r.query
      ? t(page > 1 ? "results_page" : "results", { n: r.total, ms: Math.round(r.took_ms), p: page })
      : t("latest", { n: r.total });
    var notes = $("notes");
    notes.textContent = "";
    notes.hidden = !(r.notes && r.notes.length);
    (r.notes || []).forEach(function (n) { notes.appendChild(el("p", null, n)); });
    if (!r.hits.length) {
      showMessage("empty", t("empty", { q: p.get("q") || "" }), t("empty_help"));
    }
    r.hits.forEach(function (h) { $("hits").appendChild(renderHit(h)); });
    renderRelated(r);
    renderFacets(r);
    renderPager(r, page);
  }

  function loadCollections() {
    fetch("/api/collections").then(function (resp) { return resp.ok ? resp.json() : []; }).then(function (list) {
      var ul = $("collections");
      ul.textContent = "";
      list.forEach(function (c) {
        var li = el("li");
        var a = el("a", { href: "/?collection=" + encodeURIComponent(c.name) }, c.name);
        li.appendChild(a);
        li.appendChild(document.createTextNode(" — " + t("docs_count", { n: c.documents, p: c.pages })));
        ul.appendChild(li);
      });
      $("intro").hidden = !list.length;
    }).catch(function () { /* the intro is optional */ });
  }

  var seq = 0;
  function load() {
    var p = params();
    $("q").value = p.get("q") || "";
    $("sort").value = p.get("sort") || "";
    $("year-from").value = p.get("year_from") || "";
    $("year-to").value = p.get("year_to") || "";
    var page = Math.max(1, parseInt(p.get("page") || "1", 10) || 1);
    var api = new URLSearchParams();
    ["q", "collection", "doc_type", "lang", "year_from", "year_to", "sort"].forEach(function (k) {
      if (p.get(k)) { api.set(k, p.get(k)); }
    });
    // Notes come back in the page's language.
    api.set("hl", window.I18N.lang());
    api.set("limit", String(PAGE_SIZE));
    api.set("offset", String((page - 1) * PAGE_SIZE));
    var filtered = ["collection", "doc_type", "lang", "year_from", "year_to"].some(function (k) { return p.get(k); });
    $("intro").hidden = true;
    if (!p.get("q") && !filtered) { loadCollections(); }
    $("status").textContent = t("searching");
    var mine = ++seq;
    fetch("/api/search?" + api.toString()).then(function (resp) {
      return resp.json().then(function (body) { return { ok: resp.ok, body: body }; });
    }).then(function (res) {
      if (mine !== seq) { return; }
      if (!res.ok) { throw new Error(res.body && res.body.error ? res.body.error : "HTTP error"); }
      render(res.body, page);
    }).catch(function (e) {
      if (mine !== seq) { return; }
      $("hits").textContent = "";
      $("status").textContent = "";
      $("facets").textContent = "";
      $("pager").textContent = "";
      showMessage("error", t("error", { msg: e.message }), t("error_help"));
    });
  }

  // Suggestions: a combobox with a listbox, arrow keys to move, Enter to pick, Escape to close.
  var active = -1;
  var timer = null;
  function closeSuggestions() {
    var ul = $("suggestions");
    ul.hidden = true;
    ul.textContent = "";
    active = -1;
    $("q").setAttribute("aria-expanded", "false");
    $("q").removeAttribute("aria-activedescendant");
  }
  function highlight(i) {
    var items = $("suggestions").querySelectorAll("li");
    items.forEach(function (li, j) { li.setAttribute("aria-selected", String(j === i)); });
    active = i;
    if (i >= 0 && items[i]) {
      $("q").setAttribute("aria-activedescendant", items[i].id);
    } else {
      $("q").removeAttribute("aria-activedescendant");
    }
  }
  function pick(text) {
    $("q").value = text;
    closeSuggestions();
    update({ q: text });
  }
  function suggest() {
    var q = $("q").value;
    if (q.trim().length < 2) { closeSuggestions(); return; }
    fetch("/api/suggest?q=" + encodeURIComponent(q)).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || $("q").value !== q) { return; }
        var ul = $("suggestions");
        ul.textContent = "";
        active = -1;
        body.suggestions.forEach(function (s, i) {
          var li = el("li", { role: "option", id: "sugg-" + i, "aria-selected": "false" }, s.text);
          li.appendChild(el("span", { "class": "kind" }, t("kind_" + s.kind)));
          li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(s.text); });
          ul.appendChild(li);
        });
        var any = body.suggestions.length > 0;
        ul.hidden = !any;
        $("q").setAttribute("aria-expanded", String(any));
      }).catch(closeSuggestions);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var q = $("q");
    q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    q.addEventListener("keydown", function (e) {
      var items = $("suggestions").querySelectorAll("li");
      if ($("suggestions").hidden || !items.length) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Escape") { e.preventDefault(); closeSuggestions(); }
      else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        pick(items[active].firstChild.textContent);
      }
    });
    q.addEventListener("blur", function () { setTimeout(closeSuggestions, 150); });
    $("search-form").addEventListener("submit", function (e) {
      e.preventDefault();
      closeSuggestions();
      update({ q: q.value.trim() });
    });
    $("sort").addEventListener("change", function () { update({ sort: $("sort").value }); });
    $("year-apply").addEventListener("click", function () {
      update({ year_from: $("year-from").value, year_to: $("year-to").value });
    });
    window.addEventListener("popstate", load);
    document.addEventListener("langchange", function () {
      if (!lastResponse) { return; }
      // Notes are written by the server in the page's language: ask again for them.
      if (lastResponse.r.notes && lastResponse.r.notes.length) { load(); } else { render(lastResponse.r, lastResponse.page); }
    });
    load();
  });
})();
