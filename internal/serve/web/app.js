// The page of qccbatch serve. Every text comes from /api/messages (the
// command line's catalogue); every state change is a POST to the JSON API.
"use strict";
(function () {
  var T = {};
  var lang = localStorage.getItem("qccbatch-lang") || ((navigator.language || "zh").slice(0, 2) === "en" ? "en" : "zh");
  var book = null;   // the plan shown
  var runId = null;  // the run followed
  var source = null; // its EventSource
  var team = false;  // a team server: people sign in (and out)

  function $(id) { return document.getElementById(id); }
  function t(name) {
    var s = T[name] || name;
    for (var i = 1; i < arguments.length; i++) s = s.replace(/%[ds]/, String(arguments[i]));
    return s;
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function api(method, path, body) {
    var opt = { method: method, headers: {}, credentials: "same-origin" };
    if (body instanceof FormData) opt.body = body;
    else if (body !== undefined) { opt.body = JSON.stringify(body); opt.headers["Content-Type"] = "application/json"; }
    var sep = path.indexOf("?") < 0 ? "?" : "&";
    return fetch(path + sep + "lang=" + lang, opt).then(function (r) {
      // A team session that ended (idle, its lifetime, signed out): the
      // sign-in page says why.
      if (r.status === 401 && team) location.assign("/login?lang=" + lang);
      return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, body: j }; });
    });
  }
  function duration(sec) {
    if (sec < 0) return t("unlimited");
    if (sec < 60) return t("seconds", sec);
    return t("minutes", Math.floor(sec / 60), sec % 60);
  }
  function row(table, label, value, id) {
    var tr = el("tr");
    tr.appendChild(el("th", label));
    var td = el("td", value);
    if (id) td.id = id;
    tr.appendChild(td);
    table.appendChild(tr);
  }

  function loadTexts() {
    return api("GET", "/api/messages").then(function (r) {
      T = r.body.texts || {};
      document.documentElement.lang = lang;
      var nodes = document.querySelectorAll("[data-msg]");
      for (var i = 0; i < nodes.length; i++) {
        var n = nodes[i];
        if (n.tagName === "INPUT") continue;
        if (n.id === "drop") continue;
        if (n.children.length && n.tagName !== "BUTTON") continue;
        n.textContent = t(n.getAttribute("data-msg"));
      }
      document.title = t("title");
      if (book) openBook(book.id, true); // the plan's reasons in the new language
      listBooks();
    });
  }

  // Upload and plan.
  function upload(file) {
    var fd = new FormData();
    fd.append("file", file, file.name);
    $("uploading").hidden = false;
    $("upload-error").hidden = true;
    api("POST", "/api/books", fd).then(function (r) {
      $("uploading").hidden = true;
      if (r.status === 201 || r.status === 422) { location.hash = "book=" + r.body.id; showPlan(r.body); listBooks(); return; }
      $("upload-error").textContent = t("error") + ": " + (r.body.error || r.status);
      $("upload-error").hidden = false;
    });
  }

  function showPlan(p) {
    book = p;
    $("plan").hidden = false;
    $("plan-name").textContent = p.name;
    $("plan-error").hidden = !p.error;
    $("plan-error").textContent = p.error || "";
    $("opt-sheet").value = p.sheet || "";
    $("opt-header").value = p.header_row || "";
    $("opt-column").value = p.column || "";
    $("opt-name").value = p.name_column || "";
    var f = $("figures");
    f.textContent = "";
    row(f, t("rows"), p.rows, "fig-rows");
    row(f, t("companies"), p.companies, "fig-companies");
    row(f, t("invalid"), p.invalid_count, "fig-invalid");
    row(f, t("duplicates"), p.duplicate_count, "fig-duplicates");
    row(f, t("done"), p.done, "fig-done");
    row(f, t("new_orders"), p.new_orders, "fig-new");
    if (p.polls) row(f, t("polls"), p.polls);
    row(f, t("cost"), p.price > 0 ? p.cost.toFixed(2) : t("cost_unknown"), "fig-cost");
    row(f, t("time"), duration(p.estimate_seconds), "fig-time");
    rows($("invalid-rows"), p.invalid, function (n) { return n.reason; });
    rows($("dup-rows"), p.duplicates, function (n) { return t("repeats", n.repeats); });
    rows($("warn-rows"), p.warnings, function (n) { return n.reason; });
    $("invalid-n").textContent = p.invalid_count;
    $("dup-n").textContent = p.duplicate_count;
    $("warn-n").textContent = p.warnings.length;
    $("invalid-box").hidden = !p.invalid_count;
    $("dup-box").hidden = !p.duplicate_count;
    $("warn-box").hidden = !p.warnings.length;
    var typed = p.new_orders > p.type_to_confirm_above;
    $("type-box").hidden = !typed;
    $("type-count").value = "";
    $("type-label").textContent = t("type_count", p.type_to_confirm_above);
    $("nothing").hidden = p.new_orders > 0 || p.polls === 0;
    $("confirm").textContent = p.new_orders > 0 ? t("confirm", p.new_orders) : t("start");
    $("confirm").disabled = !!p.error || typed || !!p.running;
    $("confirm-box").hidden = !!p.error || !!p.running || (p.new_orders === 0 && p.polls === 0);
    if (p.running && p.running !== runId) follow(p.running);
  }
  function rows(table, list, text) {
    table.textContent = "";
    var h = el("tr");
    h.appendChild(el("th", t("row")));
    h.appendChild(el("th", t("reason")));
    table.appendChild(h);
    (list || []).forEach(function (n) {
      var tr = el("tr");
      tr.appendChild(el("td", n.row));
      tr.appendChild(el("td", text(n)));
      table.appendChild(tr);
    });
  }

  function confirmRun() {
    if (!book) return;
    $("confirm").disabled = true;
    api("POST", "/api/books/" + book.id + "/runs", { orders: book.new_orders, digest: book.digest }).then(function (r) {
      if (r.status === 202) { $("plan-changed").hidden = true; follow(r.body.run); return; }
      if (r.status === 409 && r.body.plan) { showPlan(r.body.plan); $("plan-changed").hidden = false; return; }
      if (r.status === 409 && r.body.run) { follow(r.body.run); return; }
      $("plan-error").textContent = t("error") + ": " + (r.body.error || r.status);
      $("plan-error").hidden = false;
      $("confirm").disabled = false;
    });
  }

  // Progress over server-sent events.
  function follow(id) {
    if (source) source.close();
    runId = id;
    location.hash = "run=" + id + (book ? "&book=" + book.id : "");
    $("progress").hidden = false;
    $("downloads").hidden = true;
    $("resume").hidden = true;
    $("stop").hidden = false;
    // A new page has drawn nothing yet: it reads the run's events from the
    // start (rows are kept, progress is coalesced); the EventSource itself
    // resumes with Last-Event-ID after a dropped connection.
    source = new EventSource("/api/runs/" + id + "/events");
    $("action-rows").textContent = "";
    $("action-box").hidden = true;
    $("action-n").textContent = "0";
    source.addEventListener("row", function (e) {
      addActionRow(JSON.parse(e.data));
    });
    ["state", "progress", "done"].forEach(function (name) {
      source.addEventListener(name, function (e) {
        render(JSON.parse(e.data));
        if (name === "done") { source.close(); source = null; }
      });
    });
  }

  // A row that became final and needs a person, as it appears.
  function addActionRow(r) {
    var table = $("action-rows");
    if (!table.firstChild) {
      var h = el("tr");
      [t("row"), t("search_key"), t("outcome"), t("reason")].forEach(function (x) { h.appendChild(el("th", x)); });
      table.appendChild(h);
    }
    var tr = el("tr");
    tr.appendChild(el("td", r.row));
    tr.appendChild(el("td", r.search_key));
    tr.appendChild(el("td", r.label));
    tr.appendChild(el("td", r.message));
    table.appendChild(tr);
    $("action-box").hidden = false;
    $("action-n").textContent = table.children.length - 1;
  }

  function render(s) {
    $("run-state").textContent = t("state_" + s.state);
    $("run-state").className = "state-" + s.state;
    var p = s.progress;
    var f = $("live");
    f.textContent = "";
    row(f, t("final_rows"), p.final_rows + " / " + p.total_rows, "live-final");
    row(f, t("ordered"), p.ordered + " / " + s.orders, "live-ordered");
    row(f, t("ready"), p.ready, "live-ready");
    row(f, t("pending"), p.pending, "live-pending");
    row(f, t("rate"), s.rate.toFixed(1));
    row(f, t("eta"), s.eta_seconds >= 0 ? duration(s.eta_seconds) : "–");
    row(f, t("started_by"), s.user);
    if (s.approver) row(f, t("approved_by"), s.approver);
    var pct = p.total_rows > 0 ? Math.round(100 * p.final_rows / p.total_rows) : 0;
    if (s.state === "done" && s.exit === 0) pct = 100;
    $("bar-fill").style.width = pct + "%";
    $("approve-box").hidden = s.state !== "awaiting_approval";
    $("stop").hidden = s.state === "done";
    var err = s.error || s.stop_reason;
    $("run-error").hidden = !err;
    $("run-error").textContent = err || "";
    if (s.state === "done") {
      row(f, t("exit"), s.exit, "live-exit");
      Object.keys(s.outcomes || {}).forEach(function (o) { if (s.outcomes[o]) row(f, t("outcome_" + o), s.outcomes[o]); });
      $("downloads").hidden = false;
      $("dl-xlsx").href = "/api/runs/" + s.run + "/results.xlsx";
      $("dl-csv").href = "/api/runs/" + s.run + "/results.csv";
      $("dl-ledger").href = "/api/books/" + s.book + "/ledger.xlsx?lang=" + lang;
      $("dl-reports").href = "/api/books/" + s.book + "/reports.zip";
      $("resume").hidden = s.exit !== 3 && s.exit !== 4;
      listBooks();
      if (book && book.id === s.book) openBook(s.book, true); // what is left to do now
    }
  }

  function openBook(id, stay) {
    api("GET", "/api/books/" + id).then(function (r) {
      if (r.body && r.body.id) { showPlan(r.body); if (!stay) window.scrollTo(0, 0); }
    });
  }

  // Books, their runs and uncertain orders.
  function listBooks() {
    api("GET", "/api/books").then(function (r) {
      var box = $("book-list");
      box.textContent = "";
      var list = (r.body && r.body.books) || [];
      if (!list.length) box.appendChild(el("p", t("no_books"), "muted"));
      list.forEach(function (b) {
        var d = el("div", null, "book");
        var h = el("h3", b.name + " ");
        h.appendChild(el("small", new Date(b.created).toLocaleString() + " · " + b.user + " · " + b.state_file, "muted"));
        var open = el("button", t("open"), "link");
        open.type = "button";
        open.addEventListener("click", function () { openBook(b.id); });
        h.appendChild(open);
        d.appendChild(h);
        if (b.runs.length) {
          var tb = el("table", null, "rows");
          var hr = el("tr");
          [t("when"), t("kind"), t("started_by"), t("new_orders"), t("exit")].forEach(function (x) { hr.appendChild(el("th", x)); });
          tb.appendChild(hr);
          b.runs.forEach(function (run) {
            var tr = el("tr");
            tr.appendChild(el("td", new Date(run.started).toLocaleString()));
            tr.appendChild(el("td", run.kind + (run.killed ? " (killed)" : run.running ? " …" : "")));
            tr.appendChild(el("td", run.user + (run.approved_by ? " / " + run.approved_by : "")));
            tr.appendChild(el("td", run.new_orders));
            tr.appendChild(el("td", run.running ? "" : run.exit));
            tb.appendChild(tr);
          });
          d.appendChild(tb);
        }
        if (b.uncertain.length) d.appendChild(resolveBox(b));
        box.appendChild(d);
      });
    });
  }

  function resolveBox(b) {
    var d = el("div", null, "resolve");
    d.appendChild(el("h4", t("uncertain") + ": " + b.uncertain.length));
    var ul = el("ul");
    b.uncertain.forEach(function (u) { ul.appendChild(el("li", u.search_key + " — " + u.message)); });
    d.appendChild(ul);
    d.appendChild(el("p", t("resolve_help"), "muted"));
    var input = el("input");
    input.type = "file";
    input.accept = ".xlsx,.csv";
    var out = el("div");
    var apply = el("button", t("resolve_apply"), "primary");
    apply.type = "button";
    apply.hidden = true;
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      var fd = new FormData();
      fd.append("file", input.files[0], input.files[0].name);
      api("POST", "/api/books/" + b.id + "/resolve", fd).then(function (r) {
        showResolve(out, r.body);
        apply.hidden = !!r.body.error || !r.body.actions || !r.body.actions.length;
        apply.onclick = null;
        apply.addEventListener("click", function () {
          api("POST", "/api/books/" + b.id + "/resolve/" + r.body.list + "/apply").then(function (r2) {
            showResolve(out, r2.body);
            apply.hidden = true;
            if (r2.body.applied) out.appendChild(el("p", t("resolve_applied"), "ok"));
            listBooks();
          });
        }, { once: true });
      });
    });
    var lbl = el("label", t("resolve_preview") + " ");
    lbl.appendChild(input);
    d.appendChild(lbl);
    d.appendChild(out);
    d.appendChild(apply);
    return d;
  }
  function showResolve(out, body) {
    out.textContent = "";
    if (body.error) { out.appendChild(el("p", body.error, "error")); return; }
    var ul = el("ul");
    (body.actions || []).forEach(function (a) { ul.appendChild(el("li", a.search_key + ": " + a.why)); });
    out.appendChild(ul);
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("file").addEventListener("change", function () { if (this.files.length) upload(this.files[0]); });
    var drop = $("drop");
    drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      drop.classList.remove("over");
      if (e.dataTransfer.files.length) upload(e.dataTransfer.files[0]);
    });
    $("options").addEventListener("submit", function (e) {
      e.preventDefault();
      if (!book) return;
      api("POST", "/api/books/" + book.id + "/plan", {
        sheet: $("opt-sheet").value, header_row: $("opt-header").value || "0",
        column: $("opt-column").value, name_column: $("opt-name").value
      }).then(function (r) { if (r.body && r.body.id) showPlan(r.body); });
    });
    $("type-count").addEventListener("input", function () {
      $("confirm").disabled = !book || this.value.trim() !== String(book.new_orders);
    });
    $("confirm").addEventListener("click", confirmRun);
    $("stop").addEventListener("click", function () { if (runId) api("POST", "/api/runs/" + runId + "/stop"); });
    $("approve").addEventListener("click", function () { if (runId) api("POST", "/api/runs/" + runId + "/approve"); });
    $("resume").addEventListener("click", function () {
      if (!book) return;
      api("GET", "/api/books/" + book.id).then(function (r) { if (r.body && r.body.id) { showPlan(r.body); window.scrollTo(0, 0); } });
    });
    $("new-book").addEventListener("click", function () { $("file").click(); });
    $("lang").addEventListener("click", function () {
      lang = lang === "zh" ? "en" : "zh";
      localStorage.setItem("qccbatch-lang", lang);
      loadTexts();
    });
    api("GET", "/api/session").then(function (r) {
      team = !!r.body.team;
      $("user").textContent = team ? r.body.user : "";
      $("signout").hidden = !team;
    });
    $("signout").addEventListener("click", function () {
      api("POST", "/api/logout").then(function () { location.assign("/login?lang=" + lang); });
    });
    loadTexts().then(function () {
      listBooks();
      var h = new URLSearchParams(location.hash.slice(1));
      if (h.get("book")) openBook(h.get("book"));
      if (h.get("run")) follow(h.get("run"));
    });
  });
})();
