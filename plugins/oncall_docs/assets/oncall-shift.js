/* My shift (oncall-docs): your shifts, what is due and when, readiness, calendar; and the
 * banner's "you are on call" / "your next shift starts in 2 days".
 *
 * Progressive enhancement: the page already lists everyone's upcoming shifts as of the build.
 * This script reads the person picked (localStorage, or ?user=<PagerDuty user id> in the URL)
 * and recomputes at view time (Date.now(), so tests move Playwright's clock) from the shifts
 * embedded in [data-myshift-data], with the banner's rules for stale and past-the-data snapshots
 * (oncall-now.js). The checklists are the live ones of checklist.js: pointed at your next
 * shift, they store their ticks under the same keys as on the Preparation page.
 * Names are inserted with textContent only. */
(function () {
  "use strict";

  var MINUTE = 60000, HOUR = 3600000, DAY = 86400000;

  function lib() { return window.oncallNow; }
  function lists() { return window.oncallChecklists; }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function userKey() {
    var scope = lists() ? lists().siteScope() : location.pathname;
    return "oncall-docs:" + scope + ":my-shift:user";
  }

  function stored() {
    var store = storage();
    return store ? store.getItem(userKey()) : null;
  }

  /* ?user= opens the page for one person (without changing who you picked); else your pick. */
  function chosen() {
    var param = new URLSearchParams(location.search).get("user");
    return param || stored();
  }

  /* "40 min", "5 h", "2 days": how far away, short enough for a mark. */
  function span(ms) {
    if (ms < HOUR) return Math.max(1, Math.round(ms / MINUTE)) + " min";
    if (ms < 2 * DAY) return Math.round(ms / HOUR) + " h";
    var days = Math.floor(ms / DAY);
    return days + (days > 1 ? " days" : " day");
  }

  function text(parent, value) { parent.appendChild(document.createTextNode(value)); }

  function contacts(parent, people) {
    people.forEach(function (c, i) {
      if (i) text(parent, ", ");
      lib().add(parent, "b", c.name);
      if (c.slack) {
        text(parent, " (");
        lib().add(parent, "span", c.slack).className = "oncall-slack";
        text(parent, ")");
      }
    });
  }

  function shiftsOf(snap, id) {
    return snap.shifts.filter(function (s) { return s.user.id === id; })
      .sort(function (a, b) { return Date.parse(a.start) - Date.parse(b.start); });
  }

  /* Why the snapshot cannot name shifts at `now`, or null: the banner's rules. */
  function unusable(snap, now) {
    var end = lib().lastEnd(snap);
    if (snap.stale) return { kind: "stale" };
    if (end !== null && now >= end) return { kind: "ended", end: end };
    return null;
  }

  /* ---- the banner knows you --------------------------------------------------------- */

  function renderBanner(snap, now, fmt) {
    var el = document.querySelector("[data-myshift-banner]");
    if (!el) return;
    el.textContent = "";
    el.hidden = true;
    var id = chosen();
    if (!id || !snap || unusable(snap, now)) return;
    var mine = shiftsOf(snap, id).filter(function (s) { return Date.parse(s.end) > now; });
    var current = mine.filter(function (s) { return Date.parse(s.start) <= now; })[0];
    var next = mine.filter(function (s) { return Date.parse(s.start) > now; })[0];
    text(el, " · ");
    if (current) {
      lib().add(el, "strong", "You are on call");
      text(el, " (" + labelOf(snap, current.level) + ") until ");
      el.appendChild(lib().timeEl(current.end, fmt));
    } else if (next) {
      text(el, "Your next shift starts in " + span(Date.parse(next.start) - now));
    } else {
      text(el, "No shift for you in the schedule");
    }
    el.setAttribute("data-myshift-user", id);
    el.hidden = false;
  }

  function labelOf(snap, level) {
    var found = snap.levels.filter(function (l) { return l.level === level; })[0];
    return found ? found.label : "Level " + level;
  }

  /* ---- the page -------------------------------------------------------------------- */

  function para(parent, className, attr) {
    var p = lib().add(parent, "p");
    if (className) p.className = className;
    if (attr) p.setAttribute(attr, "");
    return p;
  }

  function renderShift(list, s, now, fmt) {
    var li = lib().add(list, "li");
    li.setAttribute("data-myshift-shift", s.uid);
    lib().add(li, "strong", s.label);
    if (s.override) text(li, " (swap)");
    text(li, ": ");
    li.appendChild(lib().timeEl(s.start, fmt));
    text(li, " to ");
    li.appendChild(lib().timeEl(s.end, fmt));
    if (Date.parse(s.start) > now) text(li, " (in " + span(Date.parse(s.start) - now) + ")");
    if (s.from.length) {
      var from = lib().add(li, "span");
      from.setAttribute("data-myshift-from", "");
      text(from, "; takes over from ");
      contacts(from, s.from);
    }
    if (s.to.length) {
      var to = lib().add(li, "span");
      to.setAttribute("data-myshift-to", "");
      text(to, "; hands over to ");
      contacts(to, s.to);
    }
    if (s.override_url) {
      text(li, " · ");
      var a = lib().add(li, "a", "Create an override in PagerDuty");
      a.href = s.override_url;
      a.setAttribute("data-myshift-override", "");
    }
  }

  /* Point the page's live checklists at `shift`'s rotation period (the ticks' storage key). */
  function pointChecklists(shift) {
    document.querySelectorAll("[data-myshift-checklists] [data-checklist]").forEach(function (el) {
      if (!lists()) return;
      var rotation = lists().rotationOf(el);
      var current = lists().shiftAt(rotation, new Date(Date.now()), 0).key;
      var ahead = Math.round((Date.parse(shift.period) - Date.parse(current)) / DAY / rotation.shiftDays);
      el.dataset.shiftOffset = String(Math.max(ahead, 0));
      if (el.dataset.checklistReady) lists().render(el);
    });
  }

  function ticked(id) {
    var el = document.querySelector('[data-myshift-checklists] [data-checklist="' + id + '"]');
    if (!el || !lists()) return null;
    var boxes = lists().boxes(el);
    return { done: boxes.filter(function (b) { return b.checked; }).length, all: boxes.length };
  }

  function renderDue(shift, now, fmt) {
    var list = document.querySelector("[data-myshift-due]");
    if (!list) return;
    list.textContent = "";
    list.hidden = !shift;
    if (!shift) return;
    shift.due.forEach(function (d) {
      var li = lib().add(list, "li");
      li.setAttribute("data-myshift-due-item", d.checklist);
      var a = lib().add(li, "a", d.title);
      a.href = "#checklist-" + d.checklist;
      text(li, ": due ");
      li.appendChild(lib().timeEl(d.at, fmt));
      text(li, " ");
      var at = Date.parse(d.at), count = ticked(d.checklist);
      var mark = lib().add(li, "span");
      mark.setAttribute("data-myshift-mark", "");
      if (count && count.all && count.done === count.all) {
        mark.textContent = "done";
        mark.className = "oncall-myshift__mark oncall-myshift__mark--done";
      } else if (at <= now) {
        mark.textContent = "overdue";
        mark.className = "oncall-myshift__mark oncall-myshift__mark--overdue";
      } else {
        mark.textContent = "due in " + span(at - now);
        mark.className = "oncall-myshift__mark";
      }
    });
  }

  function renderReady(el, person) {
    var box = lib().add(el, "div");
    box.setAttribute("data-myshift-ready", "");
    lib().add(box, "h3", "Are you ready");
    var problems = person.ready.problems;
    if (!problems.length) {
      para(box).textContent = person.in_roster
        ? "Your access is complete for your scheduled shifts (as of the build)."
        : "Not checked.";
    } else {
      var ul = lib().add(box, "ul");
      problems.forEach(function (p) {
        var li = lib().add(ul, "li", p.message);
        li.setAttribute("data-code", p.code);
      });
    }
    if (!person.ready.pager_checked) {
      para(box, "oncall-note").textContent = "Pager setup (a phone or SMS contact method, a " +
        "high-urgency rule) was not checked: this build had no PagerDuty token.";
    }
  }

  function renderCalendar(el, person) {
    var p = para(el, null, "data-myshift-calendar");
    if (!person.ics) { p.textContent = "No calendar feed: you have no shifts in the schedule."; return; }
    text(p, "Your calendar (one event per shift, reminders 48 and 24 hours before): ");
    var root = document.querySelector("[data-myshift]").getAttribute("data-myshift-root") || "";
    var href = new URL(root + person.ics, location.href);
    if (/^https?:$/.test(href.protocol)) {
      var sub = lib().add(p, "a", "Subscribe");
      sub.href = "webcal://" + href.host + href.pathname;
      sub.setAttribute("data-myshift-subscribe", "");
      text(p, " · ");
    }
    var dl = lib().add(p, "a", "Download");
    dl.href = root + person.ics;
    dl.setAttribute("download", person.id + ".ics");
    dl.setAttribute("data-myshift-download", "");
  }

  function renderPersonal(root, data, snap, now, fmt) {
    var el = root.querySelector("[data-myshift-personal]");
    var id = chosen();
    var person = data.people.filter(function (p) { return p.id === id; })[0];
    el.textContent = "";
    el.hidden = false;
    renderDue(null, now, fmt);
    if (!id) { para(el).textContent = "Pick yourself above to see your shifts."; return; }
    var head = lib().add(el, "h3", person ? person.name : id);
    head.setAttribute("data-myshift-name", "");
    if (person && person.slack) { text(head, " "); lib().add(head, "span", person.slack).className = "oncall-slack"; }
    if (!person) {
      para(el, "oncall-myshift__warn", "data-myshift-warning").textContent =
        "PagerDuty user " + id + " is neither in the roster nor in the schedule.";
      return;
    }
    var bad = unusable(snap, now);
    if (bad) {
      var warn = para(el, "oncall-myshift__warn", "data-myshift-warning");
      if (bad.kind === "stale") {
        lib().add(warn, "strong", "Stale data:");
        text(warn, " PagerDuty could not be reached when this site was built, so your shifts are not named here; check PagerDuty.");
      } else {
        lib().add(warn, "strong", "Who is on call is unknown:");
        text(warn, " this snapshot ends ");
        warn.appendChild(lib().timeEl(lib().isoZ(bad.end), fmt));
        text(warn, ", so your shifts are not named here; check PagerDuty.");
      }
      return;
    }
    var captured = Date.parse(snap.generated_at);
    if (now - captured > DAY && snap.source !== "offline") {
      para(el, "oncall-myshift__warn", "data-myshift-warning").textContent =
        "This site has not been rebuilt for " + lib().age(now - captured) + ": check PagerDuty for swaps since.";
    }
    if (!person.in_roster) {
      para(el, "oncall-note", "data-myshift-not-in-roster").textContent =
        "You are not in the roster (data/roster.yaml): no Slack handle, and your access is not checked.";
    }
    var upcoming = person.shifts.filter(function (s) { return Date.parse(s.end) > now; });
    var current = upcoming.filter(function (s) { return Date.parse(s.start) <= now; })[0];
    var next = upcoming.filter(function (s) { return Date.parse(s.start) > now; })[0];
    var status = para(el, null, "data-myshift-status");
    if (current) {
      lib().add(status, "strong", "You are on call now (" + current.label + ")");
      text(status, " until ");
      status.appendChild(lib().timeEl(current.end, fmt));
      text(status, ".");
    } else if (next) {
      text(status, "Your next shift (" + next.label + ") starts in " + span(Date.parse(next.start) - now) + ", ");
      status.appendChild(lib().timeEl(next.start, fmt));
      text(status, ".");
    } else if (person.always.length) {
      text(status, "You are always on call (" + person.always.join(", ") + "): you are reached by escalation.");
    } else {
      var end = lib().lastEnd(snap);
      text(status, "You have no shifts in the schedule");
      if (end !== null) { text(status, " up to "); status.appendChild(lib().timeEl(lib().isoZ(end), fmt)); }
      text(status, ", the end of the data this site was built with.");
    }
    if (upcoming.length) {
      var list = lib().add(el, "ul");
      list.setAttribute("data-myshift-shifts", "");
      upcoming.forEach(function (s) { renderShift(list, s, now, fmt); });
    }
    if (next) {
      pointChecklists(next);
      renderDue(next, now, fmt);
      var due = para(el, null, "data-myshift-due-note");
      text(due, "Before your next shift: ");
      var a = lib().add(due, "a", "what is due, and by when");
      a.href = "#due";
    }
    renderReady(el, person);
    renderCalendar(el, person);
  }

  function setupPage(snap, now, fmt) {
    var root = document.querySelector("[data-myshift]");
    var data = null;
    try { data = root && JSON.parse(root.getAttribute("data-myshift-data")); } catch (e) { data = null; }
    if (!root || !data || !snap) return;
    var picker = root.querySelector("[data-myshift-picker]");
    var select = root.querySelector("[data-myshift-select]");
    var nojs = root.querySelector("[data-myshift-nojs]");
    if (nojs) nojs.hidden = true;
    picker.hidden = false;
    select.value = chosen() || "";
    if (!root.dataset.myshiftReady) {
      root.dataset.myshiftReady = "1";
      select.addEventListener("change", function () {
        var store = storage();
        if (store) {
          if (select.value) store.setItem(userKey(), select.value); else store.removeItem(userKey());
        }
        if (new URLSearchParams(location.search).get("user")) {
          history.replaceState(null, "", location.pathname + location.hash); // the pick wins now
        }
        refresh();
      });
      var checklists = document.querySelector("[data-myshift-checklists]");
      if (checklists) checklists.addEventListener("change", function () { refresh(); });
    }
    renderPersonal(root, data, snap, now, fmt);
  }

  function refresh() {
    if (!lib()) return;
    var snap = lib().readData(), now = Date.now(), fmt = lib().formatter();
    renderBanner(snap, now, fmt);
    setupPage(snap, now, fmt);
  }

  /* Like oncall-now.js: document$ after instant navigation, the load event for file:// pages. */
  if (typeof window.document$ !== "undefined") window.document$.subscribe(refresh);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
})();
