/* Handoff: repeatable rows (the meeting's attendees and action items) without a round trip.
 * Without JavaScript, the "add a row" button sends the form and the server answers it with
 * one more empty row; with it, this clones the last row in place and renumbers its fields
 * (att_name_3, ...), keeping the hidden row count (data-rows) in step. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-add-row]");
    if (!button || !button.form) return;
    var kind = button.getAttribute("data-add-row");
    var table = document.querySelector("table[data-rows-table='" + kind + "']");
    var count = button.form.querySelector("input[data-rows='" + kind + "']");
    if (!table || !count) return;
    var rows = table.querySelectorAll("tbody tr[data-row]");
    if (!rows.length) return;
    event.preventDefault();
    var n = rows.length;
    var copy = rows[n - 1].cloneNode(true);
    copy.querySelectorAll("input, select").forEach(function (el) {
      var rename = function (value) {
        return value.replace(/_\d+$/, "_" + n);
      };
      if (el.name) el.name = rename(el.name);
      if (el.id) el.id = rename(el.id);
      var label = el.getAttribute("aria-label");
      if (label) el.setAttribute("aria-label", label.replace(/\d+(?=\D*$)/, String(n + 1)));
      if (el.type === "checkbox") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else el.value = "";
    });
    rows[n - 1].parentNode.appendChild(copy);
    count.value = String(n + 1);
    var first = copy.querySelector("input, select");
    if (first) first.focus();
  });
})();
