/* Rashomon story page: click (or hover) a sentence to light up the sentences that tell
   the same facts in the other articles. Partners come from the server in data-p (the
   other citations of the sentence's facts). Text is only ever read with textContent and
   written with textContent: no HTML is built from article text. */
(function () {
  "use strict";
  var byKey = {};
  var selected = null;

  function sentences() { return document.querySelectorAll(".s[data-s]"); }

  function partnersOf(el) {
    var p = el.getAttribute("data-p");
    if (!p) { return []; }
    return p.split(" ").map(function (k) { return byKey[k]; }).filter(Boolean);
  }

  function scrollIntoColumn(el) {
    var col = el.closest(".col");
    if (!col) { return; }
    var head = col.querySelector(".colhead");
    var offset = head ? head.offsetHeight : 0;
    col.scrollTop = Math.max(0, el.offsetTop - offset - 24);
  }

  function clear() {
    document.querySelectorAll(".s.sel, .s.partner").forEach(function (el) {
      el.classList.remove("sel", "partner");
    });
    document.querySelectorAll("tr.fact.on").forEach(function (tr) { tr.classList.remove("on"); });
    document.querySelectorAll(".selinfo").forEach(function (info) { info.textContent = ""; });
    selected = null;
  }

  function describe(el, partners) {
    var story = el.closest(".story");
    var info = story ? story.querySelector(".selinfo") : null;
    if (!info) { return; }
    var cols = {};
    partners.forEach(function (p) {
      var col = p.closest(".col");
      var name = col ? col.querySelector(".outlet").textContent : "?";
      cols[name] = (cols[name] || 0) + 1;
    });
    var names = Object.keys(cols);
    var facts = (el.getAttribute("data-f") || "").split(" ").filter(Boolean);
    var stmts = facts.map(function (id) {
      var row = document.getElementById("fact-" + id);
      var stmt = row ? row.querySelector(".stmt") : null;
      if (row) { row.classList.add("on"); }
      return stmt ? stmt.textContent : "";
    }).filter(Boolean);
    var text = partners.length
      ? partners.length + " matching sentence(s) in " + names.join(", ")
      : "No matching sentence in the other articles";
    if (el.title) { text += " · " + el.title; }
    if (stmts.length) { text += " · fact: " + stmts.join(" | "); }
    info.textContent = text;
  }

  function select(el) {
    if (selected === el) { clear(); return; }
    clear();
    selected = el;
    el.classList.add("sel");
    var partners = partnersOf(el);
    partners.forEach(function (p) { p.classList.add("partner"); scrollIntoColumn(p); });
    describe(el, partners);
  }

  function hover(el, on) {
    partnersOf(el).forEach(function (p) { p.classList.toggle("hp", on); });
  }

  function init() {
    sentences().forEach(function (el) {
      byKey[el.getAttribute("data-s")] = el;
      el.addEventListener("click", function () { select(el); });
      el.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(el); }
      });
      el.addEventListener("mouseenter", function () { hover(el, true); });
      el.addEventListener("mouseleave", function () { hover(el, false); });
    });
    document.querySelectorAll("a.cite[data-k]").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        var el = byKey[a.getAttribute("data-k")];
        if (!el) { return; }
        ev.preventDefault();
        el.scrollIntoView({ block: "center" });
        scrollIntoColumn(el);
        if (selected !== el) { select(el); }
      });
    });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { clear(); } });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
