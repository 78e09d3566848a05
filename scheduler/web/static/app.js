// Shows the files chosen for an upload. Follows a queued or running run with server-sent events: status, phase, best
// headcount, bound and seconds; reloads the page when the run ends to show its results.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var picker = document.querySelector(".file-button input");
  var chosen = document.getElementById("chosen");
  if (picker && chosen) {
    picker.addEventListener("change", function () {
      var names = Array.prototype.map.call(picker.files, function (f) { return f.name; });
      chosen.textContent = names.length ? names.join(", ") : chosen.getAttribute("data-none");
    });
  }
  var box = document.querySelector("[data-events]");
  if (!box || !window.EventSource) { return; }
  var source = new EventSource(box.getAttribute("data-events"));
  var phases = document.getElementById("phases");
  var lastPhase = null;
  function show(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = (value === null || value === undefined || value === "") ? "–" : String(value); }
  }
  function update(d) {
    box.setAttribute("data-status", d.status);
    var status = document.getElementById("run-status");
    if (status) { status.className = "badge " + d.status; }
    show("run-status", d.status_label);
    show("phase", d.phase);
    show("headcount", d.headcount);
    show("bound", d.bound);
    show("elapsed", d.elapsed);
    if (phases && d.phase && d.phase !== lastPhase) {
      var li = document.createElement("li");
      li.textContent = d.phase + (d.headcount !== null ? " · " + d.headcount : "");
      phases.appendChild(li);
      lastPhase = d.phase;
    }
  }
  source.addEventListener("progress", function (e) { update(JSON.parse(e.data)); });
  source.addEventListener("end", function (e) {
    source.close();
    update(JSON.parse(e.data));
    window.setTimeout(function () { window.location.reload(); }, 300);
  });
});
