/* Handoff: a little script on top of pages that already work without it. No inline
 * script is allowed (Content-Security-Policy), so everything is wired here by attribute. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  /* <select data-autosubmit>: send its form on change (the language switcher); the
   * form's own button stays for people without JavaScript (.js-hidden). */
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      if (target.form.requestSubmit) target.form.requestSubmit();
      else target.form.submit();
    }
  });

  /* "/" focuses the search box, as in GitHub and Linear, unless one is typing. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
    var search = document.getElementById("search-q");
    if (search) {
      event.preventDefault();
      search.focus();
    }
  });

  /* Error summary (GOV.UK): focused when the page opens, so screen readers announce it;
   * its links move focus to the field itself and show its label. */
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
