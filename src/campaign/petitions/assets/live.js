/*
 * The live count: opens the server-sent-event stream named by the count box's
 * data-live attribute and updates the figures and the progress bar as batches of
 * signatures commit. Without this script (or EventSource) the page shows the count
 * it was served with and a link to refresh it. Screen readers hear the count at
 * most every 30 seconds, through a polite status region.
 */
(function () {
  "use strict";
  var box = document.querySelector("[data-live]");
  if (!box || typeof window.EventSource !== "function") return;
  var lang = document.documentElement.lang || "en";
  var format = new Intl.NumberFormat(lang === "es" ? "es-US" : "en-US");
  var verified = box.querySelector('[data-count="verified"]');
  var pending = box.querySelector('[data-count="pending"]');
  var bar = box.querySelector('[data-count="progress"]');
  var announce = document.getElementById("live-announce");
  var note = box.querySelector(".live-note");
  var goal = Number(box.getAttribute("data-goal")) || 0;
  var fill = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  };
  var lastAnnounced = Date.now();
  var source = new EventSource(box.getAttribute("data-live"));
  source.addEventListener("open", function () {
    box.classList.add("is-live");
    if (note) note.hidden = false;
  });
  source.addEventListener("error", function () {
    box.classList.remove("is-live");
    if (note) note.hidden = true;
  });
  source.addEventListener("count", function (event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    var values = { verified: format.format(data.verified), pending: format.format(data.pending), goal: format.format(goal) };
    if (verified) verified.textContent = values.verified;
    if (pending) pending.textContent = values.pending;
    box.setAttribute("data-verified", String(data.verified));
    box.setAttribute("data-pending", String(data.pending));
    if (bar) {
      bar.value = Math.min(data.verified, goal);
      var progress = fill(box.getAttribute("data-progress") || "", values);
      bar.setAttribute("aria-label", progress);
      bar.textContent = progress;
    }
    var label = box.querySelector("[data-label-one]");
    if (label) label.textContent = label.getAttribute(data.verified === 1 ? "data-label-one" : "data-label-many");
    var thresholds = document.querySelectorAll("[data-threshold]");
    for (var i = 0; i < thresholds.length; i += 1) {
      var item = thresholds[i];
      var state = item.querySelector(".threshold-state");
      var remaining = Number(item.getAttribute("data-threshold")) - data.verified;
      if (!state || item.classList.contains("reached")) continue;
      if (remaining <= 0) {
        item.classList.add("reached");
        state.textContent = state.getAttribute("data-reached");
      } else {
        state.textContent = fill(state.getAttribute("data-not-yet") || "", { remaining: format.format(remaining) });
      }
    }
    if (announce && Date.now() - lastAnnounced >= 30000) {
      lastAnnounced = Date.now();
      announce.textContent = fill(box.getAttribute("data-announce") || "", values);
    }
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
