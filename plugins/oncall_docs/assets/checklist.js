/*
 * Live checklists (oncall-docs). One file, no build step, no inline script: the page works
 * without it (a plain list of checkboxes), and a `script-src 'self'` CSP is enough.
 *
 * Ticks live in localStorage under
 *   oncall-docs:<site root path>:<checklist id>:<period key>:<item id>
 * where the period is the shift (key = local start date of the shift, as Shift.key in
 * rotation.py) or, for daily checks, the local day. Ids come from data/, so rewording or
 * reordering items keeps every tick. The previous, current and later periods are kept (the
 * My shift page ticks lists for a shift weeks ahead); older periods and removed items are
 * dropped when a checklist is shown.
 *
 * "Now" is Date.now(), so tests move the clock with Playwright's page.clock.
 */
(function () {
  "use strict";
  if (window.oncallChecklists) return; // loaded once, even if a page includes it twice

  var WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  var DAY_MS = 86400000;
  var PREFIX = "oncall-docs:";
  var formats = {};

  /* ---- shift arithmetic: the same rules as rotation.shift_at ------------------------- */

  function localParts(when, zone) {
    if (!formats[zone]) {
      formats[zone] = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", second: "2-digit"
      });
    }
    var parts = {};
    formats[zone].formatToParts(when).forEach(function (p) { parts[p.type] = Number(p.value); });
    return parts;
  }

  function dayNumber(iso) { // "2024-01-01" -> days since 1970-01-01
    var p = iso.split("-").map(Number);
    return Date.UTC(p[0], p[1] - 1, p[2]) / DAY_MS;
  }

  function isoDay(n) { return new Date(n * DAY_MS).toISOString().slice(0, 10); }

  function mod(a, b) { return ((a % b) + b) % b; }

  /* Seconds east of UTC in `zone` at instant `ms`. */
  function offsetAt(ms, zone) {
    var p = localParts(new Date(ms), zone);
    var local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    return Math.round((local - Math.floor(ms / 1000) * 1000) / 1000);
  }

  /* The instant (ms) of a wall-clock time, read as Python's zoneinfo does with fold=0: a
     repeated time is its first occurrence, a skipped one uses the offset from before the change. */
  function wallClock(day, minutes, zone) {
    var asUtc = day * DAY_MS + minutes * 60000;
    var before = asUtc - offsetAt(asUtc - DAY_MS, zone) * 1000;
    if (offsetAt(before, zone) === offsetAt(asUtc - DAY_MS, zone)) return before;
    var after = asUtc - offsetAt(asUtc + DAY_MS, zone) * 1000;
    return offsetAt(after, zone) === offsetAt(asUtc + DAY_MS, zone) ? after : before;
  }

  /* The shift containing `when` (or `ahead` shifts later): {key, start, end, previous} as
     local ISO dates; key is the shift's local start date, like Shift.key. */
  function shiftAt(rotation, when, ahead) {
    var local = localParts(when, rotation.zone);
    var today = Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
    var reference = dayNumber(rotation.referenceDate);
    var referenceWeekday = mod(new Date(reference * DAY_MS).getUTCDay() - 1, 7); // Monday = 0
    var first = reference + mod(WEEKDAYS.indexOf(rotation.weekday) - referenceWeekday, 7);
    var days = rotation.shiftDays;
    var start = first + Math.floor((today - first) / days) * days;
    var hm = rotation.time.split(":").map(Number);
    if (wallClock(start, hm[0] * 60 + hm[1], rotation.zone) > when.getTime()) start -= days;
    start += (ahead || 0) * days;
    return { key: isoDay(start), start: isoDay(start), end: isoDay(start + days),
             previous: isoDay(start - days) };
  }

  /* The local day containing `when`, shaped like a shift. */
  function dayAt(rotation, when) {
    var local = localParts(when, rotation.zone);
    var today = Date.UTC(local.year, local.month - 1, local.day) / DAY_MS;
    return { key: isoDay(today), start: isoDay(today), end: isoDay(today + 1),
             previous: isoDay(today - 1) };
  }

  function rotationOf(el) {
    return { zone: el.dataset.zone, weekday: el.dataset.handoffWeekday,
             time: el.dataset.handoffTime, shiftDays: Number(el.dataset.shiftDays),
             referenceDate: el.dataset.referenceDate };
  }

  function periodOf(el) {
    var find = el.dataset.period === "day" ? dayAt : shiftAt;
    return find(rotationOf(el), new Date(Date.now()), Number(el.dataset.shiftOffset || 0));
  }

  /* ---- storage ---------------------------------------------------------------------- */

  function siteScope() {
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { /* no Material */ }
    return new URL(base + "/", location.href).pathname;
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; } // blocked: no persistence
  }

  function prefixOf(el) { return PREFIX + siteScope() + ":" + el.dataset.checklist + ":"; }

  function keyOf(el, periodKey, itemId) { return prefixOf(el) + periodKey + ":" + itemId; }

  /* Drop ticks of periods older than the previous one, and of items no longer in the data.
     Keys are ISO dates, so later periods (a shift further ahead) sort after and are kept. */
  function prune(el, period) {
    var store = storage();
    if (!store) return;
    var prefix = prefixOf(el);
    var items = boxes(el).map(function (box) { return box.dataset.item; });
    var stale = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key.indexOf(prefix) !== 0) continue;
      var rest = key.slice(prefix.length).split(":");
      var keep = rest[0] >= period.previous && items.indexOf(rest[1]) !== -1;
      if (!keep) stale.push(key);
    }
    stale.forEach(function (key) { store.removeItem(key); });
  }

  /* ---- one checklist ---------------------------------------------------------------- */

  function boxes(el) { return Array.prototype.slice.call(el.querySelectorAll("input[data-item]")); }

  function viewed(el) {
    var period = periodOf(el);
    var previous = el.dataset.view === "previous";
    return { period: period, key: previous ? period.previous : period.key, previous: previous };
  }

  function render(el) {
    var view = viewed(el);
    var store = storage();
    var all = boxes(el);
    var done = 0;
    all.forEach(function (box) {
      box.checked = !!store && store.getItem(keyOf(el, view.key, box.dataset.item)) === "1";
      box.disabled = view.previous;
      if (box.checked) done += 1;
    });
    el.querySelector(".oncall-checklist__progress").textContent = done + " of " + all.length + " done";
    el.querySelector(".oncall-checklist__period").textContent = periodLabel(el, view);
    var toggle = el.querySelector('[data-action="previous"]');
    toggle.setAttribute("aria-pressed", view.previous ? "true" : "false");
    var names = WORDS[kindOf(el)];
    toggle.textContent = view.previous ? "Back to " + names.current : "Show " + names.previous;
    el.querySelector('[data-action="reset"]').hidden = view.previous;
  }

  function periodDates(el, view) {
    var p = view.period;
    var start = view.previous ? p.previous : p.start;
    var end = view.previous ? p.start : p.end;
    return el.dataset.period === "day" ? start : start + " to " + end;
  }

  /* Three kinds of list, and what their current and previous periods are called: a list that
     prepares the next shift (its previous period is the shift now running), a list of the
     shift now running, and a daily list. */
  var WORDS = {
    next: { current: "next shift", previous: "this shift",
            label: "For the next shift, {dates} (this list prepares it)",
            before: "This shift, {dates} (ticked while preparing it)" },
    current: { current: "this shift", previous: "last shift",
               label: "For this shift, {dates}", before: "Last shift, {dates}" },
    day: { current: "today", previous: "yesterday",
           label: "For today, {dates}", before: "Yesterday, {dates}" }
  };
  var dayFormat = null;

  function kindOf(el) {
    if (el.dataset.period === "day") return "day";
    return Number(el.dataset.shiftOffset || 0) > 0 ? "next" : "current";
  }

  function readableDay(iso) { // "2026-12-07" -> "Mon 7 Dec"
    if (!dayFormat) {
      dayFormat = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short",
                                                     day: "numeric", month: "short" });
    }
    return dayFormat.format(new Date(dayNumber(iso) * DAY_MS)).replace(",", "");
  }

  function periodLabel(el, view) {
    var p = view.period;
    var start = view.previous ? p.previous : p.start;
    var end = view.previous ? p.start : p.end;
    var dates = el.dataset.period === "day" ? readableDay(start)
                                            : readableDay(start) + " \u2013 " + readableDay(end);
    var words = WORDS[kindOf(el)];
    return (view.previous ? words.before : words.label).replace("{dates}", dates);
  }

  function markdown(el) {
    var view = viewed(el);
    var label = el.dataset.period === "day" ? "" : "shift ";
    var lines = ["**" + el.dataset.title + "** (" + label + periodDates(el, view) + ")"];
    boxes(el).forEach(function (box) {
      var text = box.closest("li").querySelector(".oncall-checklist__text").textContent.trim();
      lines.push("- [" + (box.checked ? "x" : " ") + "] " + text);
    });
    return lines.join("\n") + "\n";
  }

  function say(el, message) { el.querySelector(".oncall-checklist__status").textContent = message; }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) { // file:// and old browsers
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function copyAndSay(el, text, what) {
    copyText(text).then(function () { say(el, what + " copied to the clipboard"); },
                        function () { say(el, "Could not copy: select the text and copy it"); });
  }

  function onChange(el, event) {
    var box = event.target;
    var store = storage();
    if (!box.matches("input[data-item]") || !store || el.dataset.view === "previous") return;
    var key = keyOf(el, periodOf(el).key, box.dataset.item);
    if (box.checked) store.setItem(key, "1"); else store.removeItem(key);
    render(el);
  }

  function reset(el) {
    var question = "Clear every tick of \u201c" + el.dataset.title + "\u201d for " +
                   WORDS[kindOf(el)].current + "?";
    if (!window.confirm(question)) return;
    var store = storage();
    var key = periodOf(el).key;
    boxes(el).forEach(function (box) { if (store) store.removeItem(keyOf(el, key, box.dataset.item)); });
    render(el);
    say(el, "Cleared");
  }

  function onClick(el, event) {
    var button = event.target.closest("button");
    if (!button || !el.contains(button)) return;
    var action = button.dataset.action;
    if (button.dataset.copy !== undefined) copyAndSay(el, button.dataset.copy, "Command");
    else if (action === "copy-markdown") copyAndSay(el, markdown(el), "Checklist");
    else if (action === "reset") reset(el);
    else if (action === "print") printOnly(el);
    else if (action === "previous") {
      if (el.dataset.view === "previous") delete el.dataset.view; else el.dataset.view = "previous";
      render(el);
    }
  }

  /* The Print button prints this checklist alone (print.css hides the rest of the page). */
  function printOnly(el) {
    var root = document.documentElement;
    el.classList.add("oncall-print-target");
    for (var node = el.parentElement; node; node = node.parentElement) node.classList.add("oncall-print-path");
    root.dataset.printChecklist = el.dataset.checklist;
    window.addEventListener("afterprint", clearPrintOnly, { once: true });
    window.print();
  }

  function clearPrintOnly() {
    delete document.documentElement.dataset.printChecklist;
    document.querySelectorAll(".oncall-print-target, .oncall-print-path").forEach(function (node) {
      node.classList.remove("oncall-print-target", "oncall-print-path");
    });
  }

  function setup(el) {
    if (el.dataset.checklistReady) return; // instant navigation re-emits document$
    el.dataset.checklistReady = "1";
    prune(el, periodOf(el));
    el.addEventListener("change", function (event) { onChange(el, event); });
    el.addEventListener("click", function (event) { onClick(el, event); });
    el.querySelectorAll("[hidden]").forEach(function (node) { node.hidden = false; });
    render(el);
  }

  /* On paper a link to another page of the handbook reads as a short reference, such as
     "Preparation \u00a7 required access" (print.css shows data-print-ref), never as the URL of
     whatever host served the page: the page's title in the navigation, then the anchor. */
  function pathOf(url) { return url.pathname.replace(/index\.html$/, ""); }

  function sectionOf(entry) { // "Runbooks \u203a " for a page in the Runbooks section, else ""
    var section = entry.parentElement.closest("li.md-nav__item--nested");
    var label = section && section.querySelector(
      ":scope > label.md-nav__link, :scope > .md-nav__container > .md-nav__link");
    return label ? label.textContent.trim() + " \u203a " : "";
  }

  function pageTitle(url) {
    var entries = document.querySelectorAll(".md-nav--primary a.md-nav__link[href]");
    for (var i = 0; i < entries.length; i++) {
      var entry = entries[i];
      if (pathOf(new URL(entry.href)) === pathOf(url)) return sectionOf(entry) + entry.textContent.trim();
    }
    var title = document.querySelector(".md-content h1");
    if (pathOf(url) === pathOf(location) && title) return title.textContent.trim();
    var parts = pathOf(url).split("/").filter(Boolean);
    return parts.length ? parts[parts.length - 1].replace(/-/g, " ") : "Overview";
  }

  function printRef(a) {
    var url = new URL(a.href);
    var anchor = decodeURIComponent(url.hash.slice(1)).replace(/[-_]+/g, " ").trim();
    return pageTitle(url) + (anchor ? " \u00a7 " + anchor : "");
  }

  /* Inside the handbook: same origin (or both on disk) and under the site's root. Material
     may already have made the href absolute, so the written href cannot tell. */
  function isInternal(a) {
    var url = new URL(a.href, location.href);
    var sameOrigin = url.protocol === "file:" ? location.protocol === "file:"
                                              : url.origin === location.origin;
    return sameOrigin && url.pathname.indexOf(siteScope()) === 0;
  }

  function markLinks(root) {
    root.querySelectorAll(".md-content a[href]:not([href^='#']):not(.headerlink)").forEach(function (a) {
      if (isInternal(a)) a.dataset.printRef = printRef(a);
    });
  }

  function setupPage() {
    document.querySelectorAll("[data-checklist]").forEach(setup);
    markLinks(document);
  }

  /* Another tab ticked something: show it here too. */
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(PREFIX) !== 0) return;
    document.querySelectorAll("[data-checklist][data-checklist-ready]").forEach(render);
  });

  window.oncallChecklists = { shiftAt: shiftAt, dayAt: dayAt, markdown: markdown, render: render,
                             copyText: copyText, // copy-block.js copies with it too
                             rotationOf: rotationOf, siteScope: siteScope, storage: storage,
                             boxes: boxes }; // oncall-shift.js points lists at your shift

  /* Set up on load, and again on every page Material's instant navigation swaps in. Both are
     needed: document$ never fires for a site opened from disk (file://), and setup is idempotent. */
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupPage);
  else setupPage();
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setupPage);
  }
})();
