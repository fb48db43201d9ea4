/* On-call banner and times, recomputed in the reader's browser (progressive enhancement).
 *
 * The page is complete without this script. With it: every <time data-oncall-time> shows the
 * reader's own time zone, and "who is on call now" is recomputed from the shifts embedded in
 * #oncall-data at view time, so a site built on Friday names the right people after Monday's
 * handoff. Past the last embedded shift, or with offline or stale data, the banner says so.
 * Names are inserted with textContent only. */
(function () {
  "use strict";

  var DAY = 86400000;

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function readData() { return readJSON("oncall-data"); }

  /* Slack handles of the on-call people (from the roster), after the names of a level. */
  function addHandles(parent, people) {
    var slack = readJSON("oncall-slack") || {}, handles = [];
    people.forEach(function (o) { if (slack[o.user.id]) handles.push(slack[o.user.id]); });
    if (!handles.length) return;
    parent.appendChild(document.createTextNode(" "));
    var span = add(parent, "span", handles.join(", "));
    span.className = "oncall-slack";
    span.setAttribute("data-oncall-handles", "");
  }

  function formatter() {
    return new Intl.DateTimeFormat(undefined, {
      weekday: "short", day: "2-digit", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
  }

  function isoZ(ms) {  /* same text as the build's <time datetime>: no milliseconds */
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function timeEl(iso, fmt) {
    var t = document.createElement("time");
    t.setAttribute("datetime", iso);
    t.setAttribute("data-oncall-time", "");
    t.textContent = fmt.format(new Date(iso));
    return t;
  }

  function age(ms) {
    var minutes = Math.max(0, Math.floor(ms / 60000));
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60;
    if (days) return days + (days > 1 ? " days" : " day") + (hours ? " " + hours + " h" : "");
    return hours ? hours + " h " + mins + " min" : mins + " min";
  }

  /* Same rule as oncall_docs.snapshot.model.oncall_at: levels with shifts are answered from
   * them, the others (always on call) as captured. */
  function oncallAt(snap, now) {
    return snap.levels.map(function (level) {
      var shifts = snap.shifts.filter(function (s) { return s.level === level.level; });
      var always = level.oncall.filter(function (o) { return o.start === null && o.end === null; });
      var current = shifts.length
        ? shifts.filter(function (s) { return Date.parse(s.start) <= now && now < Date.parse(s.end); })
        : level.oncall.filter(function (o) {
            return (o.start === null || Date.parse(o.start) <= now) && (o.end === null || now < Date.parse(o.end));
          });
      var seen = {}, people = [];
      always.concat(current).forEach(function (o) {
        var key = o.user.id + "|" + o.start;
        if (!seen[key]) { seen[key] = true; people.push(o); }
      });
      return { level: level.level, label: level.label, oncall: people };
    });
  }

  function lastEnd(snap) {
    return snap.shifts.reduce(function (max, s) { return Math.max(max, Date.parse(s.end)); }, 0) || null;
  }

  function add(parent, tag, text) {
    var el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function renderNow(el, snap, now, fmt) {
    el.textContent = "";
    var end = lastEnd(snap);
    if (end !== null && now >= end) {
      add(el, "strong", "Who is on call is unknown:");
      el.appendChild(document.createTextNode(" this snapshot ends "));
      el.appendChild(timeEl(isoZ(end), fmt));
      el.appendChild(document.createTextNode("; check PagerDuty."));
      return;
    }
    add(el, "strong", snap.sample ? "On call now (sample data)" : "On call now");
    var levels = oncallAt(snap, now), handoff = null;
    levels.filter(function (l) { return l.level === 1 || l.level === 2; }).forEach(function (level) {
      el.appendChild(document.createTextNode(" · " + level.label + ": "));
      var span = add(el, "span");
      span.setAttribute("data-oncall-level", String(level.level));
      if (!level.oncall.length) add(span, "b", "nobody scheduled");
      level.oncall.forEach(function (o, i) {
        if (i) span.appendChild(document.createTextNode(", "));
        add(span, "b", o.user.name);
        if (o.end && (handoff === null || Date.parse(o.end) < handoff)) handoff = Date.parse(o.end);
      });
      addHandles(el, level.oncall);
    });
    if (handoff !== null) {
      el.appendChild(document.createTextNode(" · hand off "));
      el.appendChild(timeEl(isoZ(handoff), fmt));
    }
  }

  function renderStatus(el, banner, snap, now, fmt) {
    var captured = Date.parse(snap.generated_at), old = age(now - captured), end = lastEnd(snap);
    var text = snap.stale ? ["stale: PagerDuty could not be reached; showing data captured ", " (" + old + " old)"]
      : snap.source === "offline"
        ? [(snap.sample ? "sample data, made-up people: " : "") + "offline snapshot, captured ", " (" + old + " ago)"]
      : ["PagerDuty snapshot from ", " (" + old + " ago)"];
    el.textContent = text[0];
    el.appendChild(timeEl(snap.generated_at, fmt));
    el.appendChild(document.createTextNode(text[1]));
    if (snap.stale && snap.sample) el.appendChild(document.createTextNode("; sample data, made-up people"));
    var outdated = snap.stale || snap.source === "offline" || now - captured > DAY || (end !== null && now >= end);
    if (now - captured > DAY && snap.source !== "offline") {
      el.appendChild(document.createTextNode("; this site has not been rebuilt since, check PagerDuty"));
    }
    banner.classList.toggle("oncall-banner--warn", outdated);
  }

  function renderTable(table, snap, now, fmt) {
    var body = table.querySelector("tbody");
    if (!body) return;
    body.textContent = "";
    oncallAt(snap, now).forEach(function (level) {
      var people = level.oncall.length ? level.oncall : [null];
      people.forEach(function (o, i) {
        var row = add(body, "tr");
        row.setAttribute("data-oncall-row", String(level.level));
        if (i === 0) {
          var head = add(row, "td");
          head.rowSpan = people.length;
          head.dataset.label = "Level"; // the column name, shown beside the cell on narrow screens
          add(head, "strong", level.level + ". " + level.label);
        }
        if (!o) {
          var gap = add(row, "td");
          gap.colSpan = 3;
          gap.dataset.label = "Who";
          add(gap, "em", "Nobody is scheduled: a gap in the schedule. Escalate to the next level.");
          return;
        }
        var who = add(row, "td", o.user.name);
        who.dataset.label = "Who";
        addHandles(who, [o]);
        if (o.schedule) { add(who, "br"); add(who, "span", o.schedule.name).className = "oncall-note"; }
        [o.start, o.end].forEach(function (iso, k) {
          var cell = add(row, "td");
          cell.dataset.label = k ? "Until" : "Since";
          if (iso) cell.appendChild(timeEl(iso, fmt)); else cell.textContent = k ? "no end" : "always on call";
        });
      });
    });
  }

  /* The offline copy's stamp: how long ago it was built; a copy older than a week (a whole
   * shift) is flagged, since its pages and shifts may have changed since. */
  function renderBuilt(el, built, now) {
    var out = el.querySelector("[data-oncall-age]");
    if (!out || isNaN(built)) return;
    out.textContent = " (" + age(now - built) + " ago)";
    el.classList.toggle("oncall-offline--old", now - built > 7 * DAY);
  }

  function setup() {
    var fmt = formatter(), snap = readData(), now = Date.now();
    document.querySelectorAll("time[data-oncall-time]").forEach(function (t) {
      var when = new Date(t.getAttribute("datetime"));
      if (!isNaN(when)) t.textContent = fmt.format(when);
    });
    document.querySelectorAll("[data-oncall-built]").forEach(function (el) {
      renderBuilt(el, Date.parse(el.getAttribute("data-oncall-built")), now);
    });
    if (!snap) return;
    var banner = document.querySelector("[data-oncall-banner]");
    if (banner) {
      var nowEl = banner.querySelector("[data-oncall-now]"), status = banner.querySelector("[data-oncall-status]");
      if (nowEl) renderNow(nowEl, snap, now, fmt);
      if (status) renderStatus(status, banner, snap, now, fmt);
      banner.setAttribute("data-oncall-live", "");
    }
    document.querySelectorAll("[data-oncall-table]").forEach(function (t) { renderTable(t, snap, now, fmt); });
  }

  window.oncallNow = { readJSON: readJSON, readData: readData, formatter: formatter, timeEl: timeEl,
                      isoZ: isoZ, age: age, lastEnd: lastEnd, add: add, DAY: DAY };
                      // oncall-shift.js (My shift) computes with the same rules

  /* Material's document$ re-runs setup after instant navigation; the plain load event covers
   * pages opened from disk, where document$ may never fire. setup() is idempotent. */
  if (typeof window.document$ !== "undefined") window.document$.subscribe(setup);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
