/* Idle sign-out warning (HIPAA automatic logoff). Reads its settings from <body> data attributes. */
(function () {
  "use strict";
  var body = document.body;
  if (!body || !body.dataset.idleMinutes) { return; }
  var idleMs = parseFloat(body.dataset.idleMinutes) * 60000;
  var warnMs = (parseFloat(body.dataset.idleWarningSeconds) || 60) * 1000;
  var keepaliveUrl = body.dataset.keepaliveUrl || "/accounts/keepalive/";
  var timedOutUrl = body.dataset.timedOutUrl || "/accounts/timed-out/";
  if (!(idleMs > 0)) { return; }
  var deadline = Date.now() + idleMs;
  var lastPing = Date.now();
  var dialog = null;
  var countdown = null;

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function keepalive() {
    lastPing = Date.now();
    return fetch(keepaliveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    }).then(function (resp) {
      if (resp.ok && !resp.redirected) { deadline = Date.now() + idleMs; hideDialog(); }
      else { window.location.assign(timedOutUrl); }
    }).catch(function () { /* offline: the server timer decides */ });
  }

  function buildDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "card idle-dialog";
    dialog.setAttribute("aria-labelledby", "idle-title");
    var h = document.createElement("h2");
    h.id = "idle-title";
    h.textContent = "Are you still there?";
    var p = document.createElement("p");
    p.setAttribute("role", "timer");
    p.setAttribute("aria-live", "polite");
    countdown = document.createElement("strong");
    p.append("You will be signed out in ", countdown, " seconds.");
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "btn btn-primary";
    btn.textContent = "Stay signed in";
    btn.addEventListener("click", keepalive);
    dialog.append(h, p, btn);
    body.appendChild(dialog);
  }

  function showDialog() {
    if (!dialog) { buildDialog(); }
    if (!dialog.open) {
      if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
    }
  }

  function hideDialog() {
    if (dialog && dialog.open) {
      if (typeof dialog.close === "function") { dialog.close(); } else { dialog.removeAttribute("open"); }
    }
  }

  function tick() {
    var left = deadline - Date.now();
    if (left <= 0) { window.location.assign(timedOutUrl); return; }
    if (left <= warnMs) {
      showDialog();
      countdown.textContent = String(Math.ceil(left / 1000));
    }
  }

  function activity() {
    if (dialog && dialog.open) { return; }
    if (Date.now() - lastPing >= 60000) { keepalive(); }
  }

  ["keydown", "click"].forEach(function (ev) { document.addEventListener(ev, activity, true); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var cfg = event.detail && event.detail.requestConfig;
    var headers = (cfg && cfg.headers) || {};
    if (headers["X-Medoffice-Background"] === "1") { return; }
    deadline = Date.now() + idleMs;
    lastPing = Date.now();
  });
  window.setInterval(tick, 1000);
})();
