/* jury — jurors' tablets: an outbox for score sheets that survives the venue's Wi-Fi dropping.
 *
 * A save is written to localStorage (the outbox) with a fresh idempotency key BEFORE it is sent, then
 * sent to the JSON API. On a network failure it stays there and is sent again when the browser comes back
 * online, when a juror page loads, and every 15 seconds — always with the same key, so the server stores
 * it once even if an earlier attempt did land. Saves of one sheet queued one behind another are sent in
 * order; when one is acknowledged, the next is moved onto the version it produced (it was edited on top of
 * it, on this tablet). A 409 with the server's sheet means another tablet wrote first: the page shows that
 * newer sheet and recalls the juror's unsent input, it never overwrites.
 *
 * No inline script anywhere: this file is loaded with `defer` and finds its elements by id and data-*.
 */
(function () {
  "use strict";

  // Scoped to the signed-in juror: on a tablet handed over to another juror, the first one's unsent
  // sheets must never be sent under the second one's session (they wait for their owner to sign in).
  var owner = document.querySelector("[data-juror]");
  if (!owner) { return; }
  var juror = owner.getAttribute("data-juror");
  var OUTBOX = "jury.outbox.v1." + juror;
  var ACKED = "jury.acked.v1." + juror;
  var RETRY_MS = 15000;
  var flushing = false;
  var sessionExpired = false;

  // --- storage ---------------------------------------------------------------------------------------

  function read(name, fallback) {
    try {
      var raw = window.localStorage.getItem(name);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function write(name, value) {
    window.localStorage.setItem(name, JSON.stringify(value)); // throws when storage is unavailable
  }

  function outbox() {
    var items = read(OUTBOX, []);
    return Array.isArray(items) ? items : [];
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // randomUUID needs a secure context; a venue's local http:// server is not one.
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function entriesOf(sheet, items) {
    return (items || outbox()).filter(function (e) { return e.sheet === sheet; });
  }

  /* The state a sheet shows: the most telling entry of the outbox, else the last acknowledgement. */
  function localState(sheet) {
    var mine = entriesOf(sheet);
    var i;
    for (i = 0; i < mine.length; i++) { if (mine[i].state === "conflict") { return { kind: "conflict", entry: mine[i] }; } }
    for (i = mine.length - 1; i >= 0; i--) { if (mine[i].state === "queued") { return { kind: "queued", entry: mine[i] }; } }
    for (i = mine.length - 1; i >= 0; i--) { if (mine[i].state === "rejected") { return { kind: "rejected", entry: mine[i] }; } }
    var acked = read(ACKED, {})[sheet];
    return acked && !acked.seen ? { kind: "acked", acked: acked } : null;
  }

  // The page's language: French here; another language's text comes from the page (juror/_messages.html,
  // rendered only when the page is not in French), key by key, so a missing key still reads in French.
  var MESSAGES = {
    queued: "enregistrée sur la tablette",
    acked: "transmise",
    conflict: "conflit de version : une version plus récente existe",
    rejected: "refusée par le serveur",
    refused: "Enregistrement refusé.",
    notNumber: "{label} : la note doit être un nombre",
    missing: "{label} : note manquante",
    commentRequired: "Commentaire obligatoire pour « {label} »",
    abstentionReason: "Motif d'abstention obligatoire",
    generalComment: "Commentaire général : « {comment} »",
    stateQueued: "Feuille enregistrée sur la tablette — transmission dès que le réseau revient",
    stateSubmitted: "Feuille validée transmise",
    stateDraft: "Feuille brouillon transmise",
    stateConflict: "Feuille en conflit de version : une version plus récente existe",
    stateRejected: "Feuille refusée par le serveur : {detail}",
    sheetSessionExpired: "Session expirée : reconnectez-vous avec votre carte, la feuille reste sur la tablette.",
    sessionExpired: "Session expirée : reconnectez-vous avec votre carte.",
    nextCandidate: "Candidat suivant : {label}",
    notSaved: "La feuille n'est pas enregistrée : corrigez les champs signalés.",
    saving: "Enregistrement…",
    waitingOne: "{n} enregistrement attend le réseau sur cette tablette ; ils seront transmis automatiquement.",
    waitingMany: "{n} enregistrements attendent le réseau sur cette tablette ; ils seront transmis automatiquement.",
    decimal: ","
  };
  (function () {
    var holder = document.getElementById("juror-messages");
    var given = null;
    try { given = holder ? JSON.parse(holder.getAttribute("data-messages")) : null; } catch (e) { given = null; }
    Object.keys(given || {}).forEach(function (key) { MESSAGES[key] = given[key]; });
  }());

  function t(key, vars) {
    return MESSAGES[key].replace(/\{(\w+)\}/g, function (whole, name) {
      return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
    });
  }
  var LABELS = { queued: t("queued"), acked: t("acked"), conflict: t("conflict"), rejected: t("rejected") };

  // --- sending ---------------------------------------------------------------------------------------

  function send(entry) {
    return window.fetch(entry.url, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(entry.body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: response.status, data: data };
      });
    });
  }

  function acknowledge(entry, sheet) {
    var items = outbox().filter(function (e) { return e.key !== entry.key; });
    items = items.filter(function (e) {
      // Earlier refused saves of this sheet are superseded by the one that just landed.
      return !(e.sheet === entry.sheet && e.state === "rejected");
    });
    items.forEach(function (e) {
      if (e.sheet === entry.sheet && e.state === "queued") { e.body.version = sheet.version; }
    });
    write(OUTBOX, items);
    var acked = read(ACKED, {});
    acked[entry.sheet] = { version: sheet.version, status: sheet.status, at: Date.now(), sheet: sheet };
    write(ACKED, acked);
  }

  /* The newest server sheet this tablet has seen, so that a page shown from the cache is brought up to it. */
  function rememberServerSheet(key, sheet) {
    if (!sheet) { return; }
    var acked = read(ACKED, {});
    var known = acked[key];
    if (!known || known.version < sheet.version) {
      acked[key] = { version: sheet.version, status: sheet.status, at: Date.now(), sheet: sheet, seen: true };
      write(ACKED, acked);
    }
  }

  function markConflict(entry, current) {
    var items = outbox();
    var mine = items.filter(function (e) { return e.sheet === entry.sheet && e.state === "queued"; });
    var latest = mine.length ? mine[mine.length - 1] : entry;
    // One conflict entry per sheet, carrying the newest unsent input of this tablet.
    items = items.filter(function (e) { return e.sheet !== entry.sheet || e.state === "rejected"; });
    items.push({
      key: entry.key, sheet: entry.sheet, url: entry.url, body: latest.body, state: "conflict",
      current: current, at: Date.now()
    });
    write(OUTBOX, items);
  }

  function markRejected(entry, data) {
    var items = outbox();
    items.forEach(function (e) {
      if (e.key === entry.key) {
        e.state = "rejected";
        e.detail = (data && data.detail) || t("refused");
        e.errors = (data && data.errors) || [];
      }
    });
    write(OUTBOX, items);
  }

  /* Sends queued saves in order, one at a time; stops at the first network failure (still offline). */
  function flush() {
    if (flushing) { return Promise.resolve(); }
    if (navigator.onLine === false) { render(); return Promise.resolve(); }
    flushing = true;
    function next() {
      var items = outbox();
      var blocked = {};
      var entry = null;
      for (var i = 0; i < items.length; i++) {
        var e = items[i];
        if (e.state === "conflict") { blocked[e.sheet] = true; continue; }
        if (e.state === "queued" && !blocked[e.sheet]) { entry = e; break; }
      }
      if (!entry) { return Promise.resolve(); }
      return send(entry).then(function (result) {
        if (result.status === 200 || result.status === 201) {
          sessionExpired = false;
          acknowledge(entry, result.data);
          onAcknowledged(entry, result.data);
          return next();
        }
        if (result.status === 409 && result.data && Object.prototype.hasOwnProperty.call(result.data, "current")) {
          markConflict(entry, result.data.current);
          rememberServerSheet(entry.sheet, result.data.current);
          onConflict(entry.sheet, result.data.current);
          return next();
        }
        if (result.status === 401) { sessionExpired = true; return null; }
        if (result.status >= 500 || result.status === 429 || result.status === 408) { return null; }
        markRejected(entry, result.data);
        onRejected(entry.sheet);
        return next();
      }, function () {
        return null; // network failure: the entry stays queued for the next attempt
      });
    }
    return next().then(function () { flushing = false; render(); }, function () { flushing = false; render(); });
  }

  // --- the sheet page ----------------------------------------------------------------------------------

  var form = document.getElementById("sheet-form");
  var sheetKey = form ? form.getAttribute("data-sheet") : null;

  function criteria() {
    return form ? Array.prototype.slice.call(form.querySelectorAll("fieldset[data-criterion]")) : [];
  }

  function markOf(fieldset) {
    var id = fieldset.getAttribute("data-criterion");
    var checked = fieldset.querySelector('input[name="value-' + id + '"]:checked');
    var input = checked || fieldset.querySelector('input[type="number"][name="value-' + id + '"]');
    if (!input || input.value.trim() === "") { return null; }
    var value = Number(input.value.replace(",", "."));
    return isFinite(value) ? value : NaN;
  }

  function setMark(fieldset, value) {
    var id = fieldset.getAttribute("data-criterion");
    var number = fieldset.querySelector('input[type="number"][name="value-' + id + '"]');
    if (number) { number.value = value === null || value === undefined ? "" : String(value); return; }
    fieldset.querySelectorAll('input[name="value-' + id + '"]').forEach(function (radio) {
      radio.checked = value === null || value === undefined ? radio.value === "" : radio.value !== "" && Number(radio.value) === Number(value);
    });
  }

  function field(name) { return form.querySelector('[name="' + name + '"]'); }

  function frNumber(x) { return String(Math.round(x * 10) / 10).replace(".", t("decimal")); }

  /* The same arithmetic as jury.scoring.totals.weighted_total: each criterion mapped to [0, 1] by its own
     bounds, weighted mean times 100; blank criteria left out; an eliminatory criterion at 0 eliminates. */
  function liveTotal() {
    var weighted = 0, weights = 0, eliminated = false;
    criteria().forEach(function (fs) {
      var v = markOf(fs);
      if (v === null || isNaN(v)) { return; }
      var low = Number(fs.getAttribute("data-min")), high = Number(fs.getAttribute("data-max"));
      if (fs.getAttribute("data-eliminatory") === "true") { if (v === 0) { eliminated = true; } return; }
      var w = Number(fs.getAttribute("data-weight"));
      weighted += w * (v - low) / (high - low);
      weights += w;
    });
    var out = document.getElementById("live-total");
    if (out) { out.textContent = weights > 0 ? frNumber(100 * weighted / weights) : "—"; }
    var elim = document.getElementById("live-eliminated");
    if (elim) { elim.hidden = !eliminated; }
  }

  function collect(status) {
    var values = {}, comments = {};
    criteria().forEach(function (fs) {
      var id = fs.getAttribute("data-criterion");
      var v = markOf(fs);
      values[id] = v === null ? null : v;
      var c = field("comment-" + id);
      if (c && c.value.trim() !== "") { comments[id] = c.value; }
    });
    return {
      values: values,
      comments: comments,
      comment: field("comment").value,
      abstained: field("abstained").checked,
      abstention_reason: field("abstention_reason").value,
      status: status,
      version: parseInt(field("version").value, 10) || 0,
      idempotency_key: newKey()
    };
  }

  /* The checks a juror would otherwise only hear about once back online; the server checks them again. */
  function precheck(body) {
    var errors = [];
    criteria().forEach(function (fs) {
      var id = fs.getAttribute("data-criterion"), label = fs.getAttribute("data-label");
      var v = body.values[id];
      if (v !== null && isNaN(v)) {
        errors.push({ field: "values." + id, message: t("notNumber", { label: label }) });
      } else if (v === null && body.status === "submitted" && !body.abstained) {
        errors.push({ field: "values." + id, message: t("missing", { label: label }) });
      }
      var required = fs.getAttribute("data-comment-required") === "true";
      if (required && body.status === "submitted" && !body.abstained && !(body.comments[id] || "").trim()) {
        errors.push({ field: "comments." + id, message: t("commentRequired", { label: label }) });
      }
    });
    if (body.abstained && !body.abstention_reason.trim()) {
      errors.push({ field: "abstention_reason", message: t("abstentionReason") });
    }
    return errors;
  }

  function showErrors(detail, errors) {
    var box = document.getElementById("sheet-alert");
    var list = document.getElementById("sheet-errors");
    var text = document.getElementById("sheet-alert-text");
    form.querySelectorAll(".field-error[data-js]").forEach(function (p) { p.remove(); });
    criteria().forEach(function (fs) { fs.classList.remove("has-error"); });
    if (!box) { return; }
    if (!detail) { box.hidden = true; list.textContent = ""; text.textContent = ""; return; }
    box.hidden = false;
    text.textContent = detail;
    list.textContent = "";
    (errors || []).forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.message;
      list.appendChild(li);
      var m = /^(values|comments)\.(\d+)$/.exec(e.field || "");
      if (m) {
        var fs = form.querySelector('fieldset[data-criterion="' + m[2] + '"]');
        if (fs) {
          fs.classList.add("has-error");
          var p = document.createElement("p");
          p.className = "field-error";
          p.setAttribute("data-js", "");
          p.textContent = e.message;
          fs.appendChild(p);
        }
      }
    });
    showFeedback(detail, "danger");
    // To the first field to correct (its message is beside it), else to the list of problems.
    var first = form.querySelector("fieldset.has-error") || box;
    first.scrollIntoView({ block: "start" });
  }

  function fillFrom(body) {
    criteria().forEach(function (fs) {
      var id = fs.getAttribute("data-criterion");
      setMark(fs, body.values ? body.values[id] : null);
      var c = field("comment-" + id);
      if (c) { c.value = (body.comments && body.comments[id]) || ""; }
    });
    field("comment").value = body.comment || "";
    field("abstained").checked = !!body.abstained;
    field("abstention_reason").value = body.abstention_reason || "";
    liveTotal();
  }

  function showConflict(entry) {
    var box = document.getElementById("conflict-box");
    var list = document.getElementById("conflict-lost");
    if (!box || !list) { return; }
    list.textContent = "";
    criteria().forEach(function (fs) {
      var id = fs.getAttribute("data-criterion");
      var v = entry.body.values[id];
      var li = document.createElement("li");
      li.textContent = fs.getAttribute("data-label") + " : " + (v === null || v === undefined ? "—" : frNumber(v)) +
        (entry.body.comments[id] ? " — « " + entry.body.comments[id] + " »" : "");
      list.appendChild(li);
    });
    if (entry.body.comment) {
      var li = document.createElement("li");
      li.textContent = t("generalComment", { comment: entry.body.comment });
      list.appendChild(li);
    }
    box.hidden = false;
  }

  function onAcknowledged(entry, sheet) {
    if (!form || entry.sheet !== sheetKey) { return; }
    var pending = entriesOf(sheetKey).some(function (e) { return e.state === "queued"; });
    field("version").value = String(sheet.version);
    if (!pending) { showErrors(null); }
  }

  function onConflict(sheet, current) {
    if (!form || sheet !== sheetKey) { return; }
    field("version").value = String(current ? current.version : 0);
    fillFrom(current || { values: {}, comments: {} });
    var state = localState(sheetKey);
    if (state && state.kind === "conflict") { showConflict(state.entry); }
  }

  function onRejected(sheet) {
    if (!form || sheet !== sheetKey) { return; }
    var state = localState(sheetKey);
    if (state && state.kind === "rejected") { showErrors(state.entry.detail, state.entry.errors); }
  }

  function renderSheetState() {
    var el = document.getElementById("sheet-state");
    if (!el) { return; }
    var state = localState(sheetKey);
    var version = field("version").value;
    if (!state) { return; }
    var text;
    if (state.kind === "queued") {
      text = t("stateQueued");
    } else if (state.kind === "acked") {
      if (String(state.acked.version) !== version) { return; } // the server has moved on: its own text stands
      text = t(state.acked.status === "submitted" ? "stateSubmitted" : "stateDraft");
    } else if (state.kind === "conflict") {
      text = t("stateConflict");
    } else {
      text = t("stateRejected", { detail: state.entry.detail });
    }
    if (sessionExpired && state.kind === "queued") {
      text += ". " + t("sheetSessionExpired");
    }
    el.textContent = text;
    el.setAttribute("data-local-state", state.kind);
    showFeedback(text, state.kind === "acked" ? "success" : state.kind === "queued" ? "warning" : "danger");
  }

  // The same news beside « Valider la feuille »: the juror who tapped it at the bottom of a long sheet
  // sees what happened there, online or offline, without scrolling back to the top.
  function showFeedback(text, tone) {
    var el = document.getElementById("sheet-feedback");
    if (!el) { return; }
    el.textContent = text;
    el.className = "sheet-feedback" + (tone ? " " + tone : "");
  }

  // « Candidat suivant »: the candidate after this one in the juror's list, in the home page's order
  // (remembered on this tablet, so it works offline too).
  var ORDER = "jury.order.v1." + juror;

  function rememberOrder() {
    var links = Array.prototype.slice.call(document.querySelectorAll("a[data-sheet]"));
    if (!links.length) { return; }
    try {
      write(ORDER, links.map(function (link) {
        var label = link.querySelector(".entry");
        return { sheet: link.getAttribute("data-sheet"), href: link.getAttribute("href"),
                 label: label ? label.textContent : "" };
      }));
    } catch (e) { /* no storage: no « Candidat suivant » */ }
  }

  function showNextCandidate() {
    var link = document.getElementById("next-candidate");
    if (!link) { return; }
    var order = read(ORDER, []);
    var here = -1;
    order.forEach(function (item, i) { if (item.sheet === sheetKey) { here = i; } });
    var next = here >= 0 ? order[here + 1] : null;
    if (!next) { link.hidden = true; return; }
    link.setAttribute("href", next.href);
    link.textContent = t("nextCandidate", { label: next.label });
    link.hidden = false;
  }

  function setupSheet() {
    if (!form || form.getAttribute("data-readonly") === "true") { return; }
    form.addEventListener("change", liveTotal);
    form.addEventListener("input", liveTotal);
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      var status = submitter && submitter.value === "submit" ? "submitted" : "draft";
      var body = collect(status);
      var errors = precheck(body);
      event.preventDefault();
      if (errors.length) {
        showErrors(t("notSaved"), errors);
        return;
      }
      showFeedback(t("saving"), "warning");
      var entry = { key: body.idempotency_key, sheet: sheetKey, url: form.getAttribute("data-api"), body: body,
                    state: "queued", at: Date.now() };
      try {
        // A new save replaces this sheet's refused or conflicting entries: the juror has seen them.
        var items = outbox().filter(function (e) { return e.sheet !== sheetKey || e.state === "queued"; });
        items.push(entry);
        write(OUTBOX, items);
      } catch (e) {
        // No storage (private mode, quota): the plain form post still works, without the outbox.
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "action";
        hidden.value = status === "submitted" ? "submit" : "draft";
        form.appendChild(hidden);
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      var box = document.getElementById("conflict-box");
      if (box) { box.hidden = true; }
      showErrors(null);
      render();
      flush();
    });
    // A page served from the cache may be older than what this tablet has since sent or been shown.
    var known = read(ACKED, {})[sheetKey];
    if (known && known.sheet && known.version > (parseInt(field("version").value, 10) || 0)) {
      fillFrom(known.sheet);
      field("version").value = String(known.version);
    }
    // Unsent input on this tablet is newer than what the server rendered: show it.
    var state = localState(sheetKey);
    if (state && (state.kind === "queued" || state.kind === "rejected")) { fillFrom(state.entry.body); }
    if (state && state.kind === "rejected") { showErrors(state.entry.detail, state.entry.errors); }
    if (state && state.kind === "conflict") { showConflict(state.entry); }
    liveTotal();
  }

  // --- the home page ---------------------------------------------------------------------------------

  function renderHome() {
    document.querySelectorAll("a[data-sheet]").forEach(function (link) {
      var badge = link.querySelector("[data-local-state]");
      if (!badge) { return; }
      var state = localState(link.getAttribute("data-sheet"));
      if (!state || state.kind === "acked") { badge.hidden = true; return; }
      badge.hidden = false;
      badge.textContent = LABELS[state.kind];
      badge.className = "badge local-state local-" + state.kind;
    });
    var summary = document.getElementById("outbox-summary");
    if (summary) {
      var queued = outbox().filter(function (e) { return e.state === "queued"; }).length;
      summary.hidden = queued === 0;
      summary.textContent = queued === 0 ? "" : t(queued > 1 ? "waitingMany" : "waitingOne", { n: queued }) +
        (sessionExpired ? " " + t("sessionExpired") : "");
    }
  }

  function render() {
    if (form) { renderSheetState(); }
    renderHome();
  }

  // --- pages available offline (service worker; needs https or localhost) -----------------------------

  var PAGES = "jury-pages-v1";

  function clearPages() {
    return window.caches ? window.caches.delete(PAGES).catch(function () { return false; }) : Promise.resolve(false);
  }

  function setupOfflinePages() {
    // Another juror's pages must not be shown from this tablet's cache.
    var reset = Promise.resolve();
    if (read("jury.pages.owner", null) !== juror) {
      reset = clearPages();
      try { write("jury.pages.owner", juror); } catch (e) { /* no storage: no cache either */ }
    }
    document.querySelectorAll('form[action="/deconnexion"]').forEach(function (signOut) {
      signOut.addEventListener("submit", function (event) {
        event.preventDefault();
        clearPages().then(function () { HTMLFormElement.prototype.submit.call(signOut); });
      });
    });
    if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
    reset.then(function () {
      return navigator.serviceWorker.register("/jure/sw.js", { scope: "/jure/" });
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      if (navigator.onLine === false || !window.caches) { return; }
      // Warm the cache with the sheets listed on the home page, so that each can be opened offline.
      return window.caches.open(PAGES).then(function (cache) {
        var links = Array.prototype.slice.call(document.querySelectorAll("a[data-sheet]"));
        return links.reduce(function (chain, link) {
          return chain.then(function () {
            return cache.match(link.href).then(function (hit) {
              if (hit) { return null; }
              return window.fetch(link.href, { credentials: "same-origin" }).then(function (response) {
                // Not a redirect (to the declarations, say): only the sheet itself belongs under its address.
                if (response.ok && !response.redirected) { return cache.put(link.href, response); }
                return null;
              }).catch(function () { return null; });
            });
          });
        }, Promise.resolve());
      });
    }).catch(function () { return null; });
  }

  setupSheet();
  rememberOrder();
  if (form) { showNextCandidate(); }
  setupOfflinePages();
  render();
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { flush(); } });
  window.setInterval(flush, RETRY_MS);
  flush();
}());
