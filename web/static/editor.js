/* The handoff editor (web/templates/editor.html): rows added in place, the live
 * completeness meter (the form is posted as-is to /handoffs/ID/preview, where the server
 * builds the document exactly as a save would and evaluates it), and a warning before
 * leaving with unsaved changes. Every text written here comes from the server and is set
 * with textContent. */
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form) return;
  var dirty = false;
  var timer = null;

  function body() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function link(href, text) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.setAttribute("href", href);
    a.textContent = text;
    li.appendChild(a);
    return li;
  }

  function fill(list, items, make) {
    if (!list) return;
    while (list.firstChild) list.removeChild(list.firstChild);
    items.forEach(function (it) { list.appendChild(make(it)); });
  }

  function show(ev) {
    var q = function (name) { return document.querySelector("[data-live='" + name + "']"); };
    q("percent").textContent = ev.percent;
    document.getElementById("live-meter").value = ev.percent_int;
    q("filled").textContent = ev.filled;
    q("total").textContent = ev.total;
    var band = q("band");
    band.textContent = ev.band_label;
    band.className = "badge band-" + ev.band;
    var ready = q("ready");
    ready.textContent = ev.ready ? ready.getAttribute("data-ready-text") : ready.getAttribute("data-blocked-text");
    fill(q("missing"), ev.missing, function (m) { return link("#" + m.anchor, m.label); });
    fill(q("blockers"), ev.blockers, function (b) { return link(b.anchor ? "#" + b.anchor : b.href, b.label); });
    fill(q("flags"), ev.flags, function (f) {
      var li = document.createElement("li");
      li.textContent = f.label;
      return li;
    });
    Object.keys(ev.sections || {}).forEach(function (id) {
      var el = document.querySelector("[data-section='" + id + "']");
      if (el) el.textContent = ev.sections[id];
    });
  }

  // answers can arrive out of order on a busy server: only the latest request's is shown
  var sent = 0;
  function preview() {
    var mine = ++sent;
    fetch(form.getAttribute("data-preview"), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body(),
      credentials: "same-origin",
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (ev) { if (ev && mine === sent) show(ev); })
      .catch(function () {});
  }

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  /* "Add a row": clone the last row of the group with empty values and the next index */
  form.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-row]");
    if (!button) return;
    event.preventDefault();
    var group = button.closest("[data-group]");
    var path = group.getAttribute("data-group");
    var rows = group.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    var count = group.querySelector("[data-rows]");
    var index = parseInt(count.value, 10) || rows.length;
    var row = last.cloneNode(true);
    var from = new RegExp("^" + path.replace(/\./g, "\\.") + "\\.\\d+\\.");
    var to = path + "." + index + ".";
    row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace(from, to).replace(/^(na:)/, "$1"));
      });
      if (el.type === "checkbox") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else if ("value" in el && el.tagName !== "LABEL") el.value = "";
    });
    var legend = row.querySelector("legend");
    if (legend) legend.textContent = legend.textContent.replace(/\d+/, String(index + 1));
    last.parentNode.insertBefore(row, last.nextSibling);
    count.value = String(index + 1);
    var first = row.querySelector("input, select, textarea");
    if (first) first.focus();
    changed();
  });

  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
