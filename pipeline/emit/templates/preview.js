"use strict";
(function () {
  var filter = document.getElementById("filter");
  var count = document.getElementById("filter-count");
  var pages = Array.prototype.slice.call(document.querySelectorAll("article.page"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-page]"));

  function applyFilter() {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    pages.forEach(function (page) {
      var text = page.getAttribute("data-search") || "";
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      page.hidden = !match;
      if (match) { shown += 1; }
    });
    rows.forEach(function (row) {
      var page = document.getElementById(row.getAttribute("data-page"));
      row.hidden = page ? page.hidden : false;
    });
    count.textContent = words.length ? shown + " of " + pages.length + " pages shown" : "";
  }

  function copySnippet(button) {
    var holder = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    var text = holder.value;
    function done(message) { status.textContent = message; }
    function fallback() {
      holder.focus();
      holder.select();
      var copied = document.execCommand && document.execCommand("copy");
      done(copied ? "Copied." : "Selected: press Ctrl+C (or Cmd+C) to copy.");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done("Copied."); }, fallback);
    } else {
      fallback();
    }
  }

  filter.addEventListener("input", applyFilter);
  filter.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { filter.value = ""; applyFilter(); }
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA");
    if (event.key === "/" && !typing) { event.preventDefault(); filter.focus(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (button) { copySnippet(button); }
  });
})();
