// The document page: citation export (copy, download) and similar documents. The metadata is
// rendered by the server (for crawlers and for readers without JavaScript).
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var t = function (k, v) { return window.I18N.t(k, v); };
  var EXT = { bibtex: "bib", ris: "ris", csl: "json" };

  document.addEventListener("DOMContentLoaded", function () {
    var main = $("main");
    var id = main.getAttribute("data-id");
    var base = "/api/documents/" + encodeURIComponent(id);
    var format = "bibtex";
    var text = "";

    if (document.referrer && new URL(document.referrer).origin === window.location.origin &&
        new URL(document.referrer).pathname === "/") {
      $("back").setAttribute("href", document.referrer);
    }

    function status(msg) { $("cite-status").textContent = msg; }

    function loadCite(f) {
      format = f;
      document.querySelectorAll(".cite-format").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute("data-format") === f));
      });
      status("");
      fetch(base + "/cite?format=" + f).then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.text();
      }).then(function (body) {
        text = body;
        $("cite-text").value = body;
      }).catch(function (e) { status(e.message); });
    }

    document.querySelectorAll(".cite-format").forEach(function (b) {
      b.addEventListener("click", function () { loadCite(b.getAttribute("data-format")); });
    });

    $("cite-copy").addEventListener("click", function () {
      var area = $("cite-text");
      var done = function () { status(t("copied")); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () {
          area.select();
          try { document.execCommand("copy"); done(); } catch (e) { status(t("copy_failed")); }
        });
      } else {
        area.focus();
        area.select();
        try { document.execCommand("copy"); done(); } catch (e) { status(t("copy_failed")); }
      }
    });

    $("cite-download").addEventListener("click", function () {
      var a = document.createElement("a");
      a.href = base + "/cite?format=" + format + "&download=1";
      a.setAttribute("download", "citation." + EXT[format]);
      document.body.appendChild(a);
      a.click();
      a.remove();
    });

    fetch(base + "/similar?limit=6").then(function (r) { return r.ok ? r.json() : { hits: [] }; })
      .then(function (body) {
        var ul = $("similar-list");
        ul.textContent = "";
        if (!body.hits.length) {
          var li = document.createElement("li");
          li.className = "muted";
          li.setAttribute("data-i18n", "no_similar");
          li.textContent = t("no_similar");
          ul.appendChild(li);
          return;
        }
        body.hits.forEach(function (h) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = "/doc/" + encodeURIComponent(h.id);
          a.textContent = h.title;
          li.appendChild(a);
          var extra = [];
          if (h.authors && h.authors.length) { extra.push(h.authors.join("; ")); }
          if (h.year) { extra.push(String(h.year)); }
          if (extra.length) { li.appendChild(document.createTextNode(" — " + extra.join(", "))); }
          ul.appendChild(li);
        });
      }).catch(function () { $("similar-list").textContent = ""; });

    loadCite("bibtex");
  });
})();
