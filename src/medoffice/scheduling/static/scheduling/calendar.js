/* The calendar's behaviour: lay out the day and week boards, open booking and appointment
   panels in a dialog, keep the live refresh quiet, and the keyboard. No inline code (strict CSP):
   positions and colours are set through the CSSOM from data attributes. Without this file the
   pages still work as plain links and forms. */
(function () {
  "use strict";

  var PANEL_ID = "calendar-panel";
  var BODY_ID = "calendar-panel-body";
  var SWAP_ERRORS = { 400: true, 409: true, 422: true };
  var G_MS = 1500; /* "g" then a key is the shell's navigation: leave that key alone */
  var opener = null;
  var focusKey = null;
  var gAt = 0;

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  /* ---- Layout: rows, spans, lanes and type colours from data attributes. */
  function place(el) {
    var row = parseInt(el.dataset.row, 10);
    var span = parseInt(el.dataset.span || "1", 10);
    if (!row) return;
    el.style.gridRow = row + " / span " + span;
    if (el.dataset.lane) el.style.gridColumn = el.dataset.lane + " / span " + (el.dataset.laneSpan || "1");
  }

  function layout(root) {
    var scope = root || document;
    scope.querySelectorAll("[data-rows]").forEach(function (grid) {
      var rows = parseInt(grid.dataset.rows, 10);
      var lanes = parseInt(grid.dataset.lanes || "1", 10);
      grid.style.gridTemplateRows = "repeat(" + rows + ", var(--cal-row))";
      grid.style.gridTemplateColumns = "repeat(" + lanes + ", minmax(0, 1fr))";
    });
    scope.querySelectorAll("[data-row]").forEach(place);
    scope.querySelectorAll("[data-color]").forEach(function (el) {
      el.style.setProperty("--type-color", el.dataset.color);
    });
    scope.querySelectorAll(".cal-board").forEach(function (board) { board.classList.add("is-laid-out"); });
    if (scope.classList && scope.classList.contains("cal-board")) scope.classList.add("is-laid-out");
  }

  function scrollToNow(board) {
    var scroller = board && board.querySelector(".cal-scroll");
    var mark = board && (board.querySelector(".cal-now") || board.querySelector(".cal-card, .cal-slot"));
    if (!scroller || !mark) return;
    var top = mark.offsetTop - scroller.clientHeight / 3;
    scroller.scrollTop = Math.max(0, top);
  }

  /* ---- The dialog: booking, finder and appointment panels load into it. */
  function panel() { return document.getElementById(PANEL_ID); }

  function openPanel(url, from) {
    var dialog = panel();
    if (!dialog || typeof window.htmx === "undefined") return false;
    opener = from || document.activeElement;
    window.htmx.ajax("GET", url, { target: "#" + BODY_ID, swap: "innerHTML" });
    return true;
  }

  function showPanel() {
    var dialog = panel();
    if (!dialog) return;
    if (!dialog.open && typeof dialog.showModal === "function") dialog.showModal();
    var body = document.getElementById(BODY_ID);
    var first = body && (body.querySelector("[autofocus]") || body.querySelector("[data-panel-focus]") ||
      body.querySelector("h2"));
    if (first) {
      if (!first.hasAttribute("tabindex") && first.tagName === "H2") first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }

  function onClick(event) {
    var link = event.target.closest ? event.target.closest("a[data-panel]") : null;
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      if (openPanel(link.getAttribute("href"), link)) event.preventDefault();
      return;
    }
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
    var close = event.target.closest ? event.target.closest("[data-panel-close]") : null;
    if (close) {
      var dialog = close.closest("dialog");
      if (dialog) dialog.close();
      else if (close.dataset.back) window.location.assign(close.dataset.back);
    }
  }

  /* ---- Live refresh: send the version shown; keep focus on the same slot or card. */
  function boardOf(elt) { return elt && elt.classList && elt.classList.contains("cal-board") ? elt : null; }

  function onConfigRequest(event) {
    var board = boardOf(event.detail.elt);
    if (!board) return;
    if (board.dataset.version) event.detail.headers["X-Calendar-Version"] = board.dataset.version;
    var cause = event.detail.triggeringEvent;
    if (!cause || cause.type !== "calendar-changed") {
      /* the timed poll is not the desk at work: it must not hold off the idle sign-out */
      event.detail.headers["X-Medoffice-Background"] = "1";
    }
  }

  function redirected(xhr, board) {
    /* A signed-out session answers the poll with a redirect: follow it, never swap it in. */
    if (!xhr.responseURL) return false;
    var asked = new URL(board.getAttribute("hx-get"), window.location.href).pathname;
    return new URL(xhr.responseURL).pathname !== asked;
  }

  function onBeforeSwap(event) {
    var target = event.detail.target;
    if (target && target.id === BODY_ID && SWAP_ERRORS[event.detail.xhr.status]) {
      event.detail.shouldSwap = true; /* refusals are shown in the panel, in plain words */
      event.detail.isError = false;
    }
    if (boardOf(target) && redirected(event.detail.xhr, target)) {
      event.detail.shouldSwap = false;
      window.location.assign(event.detail.xhr.responseURL);
      return;
    }
    if (boardOf(target)) {
      var active = document.activeElement;
      focusKey = active && target.contains(active) && active.id ? active.id : null;
    }
  }

  function onAfterSettle(event) {
    /* After settling, htmx has wired the new content: only then hand the desk the focus. */
    var target = event.detail.target;
    if (target && target.id === BODY_ID) showPanel();
  }

  function onAfterSwap(event) {
    var target = event.detail.target;
    if (target && target.id === BODY_ID) { layout(target); return; }
    var board = document.querySelector(".cal-board:not(.is-laid-out)");
    if (board) {
      layout(board);
      if (focusKey) {
        var again = document.getElementById(focusKey);
        if (again) again.focus({ preventScroll: true });
        focusKey = null;
      }
    }
  }

  function onPanelClose() {
    if (opener && document.body.contains(opener)) opener.focus();
    opener = null;
  }

  /* ---- Keyboard: arrows move between slots and cards; letters act on the page. */
  function items(column) {
    return Array.prototype.slice.call(column.querySelectorAll(".cal-slot, .cal-card")).sort(function (a, b) {
      return parseInt(a.dataset.row, 10) - parseInt(b.dataset.row, 10);
    });
  }

  function nearest(list, row) {
    var best = null;
    var gap = Infinity;
    list.forEach(function (el) {
      var d = Math.abs(parseInt(el.dataset.row, 10) - row);
      if (d < gap) { gap = d; best = el; }
    });
    return best;
  }

  function moveFocus(current, key) {
    var column = current.closest(".cal-col");
    if (!column) return false;
    var row = parseInt(current.dataset.row, 10);
    if (key === "ArrowUp" || key === "ArrowDown") {
      var list = items(column);
      var next = list[list.indexOf(current) + (key === "ArrowDown" ? 1 : -1)];
      if (next) next.focus();
      return true;
    }
    var sibling = key === "ArrowRight" ? column.nextElementSibling : column.previousElementSibling;
    while (sibling && !sibling.classList.contains("cal-col")) {
      sibling = key === "ArrowRight" ? sibling.nextElementSibling : sibling.previousElementSibling;
    }
    var target = sibling && nearest(items(sibling), row);
    if (target) target.focus();
    return true;
  }

  function focusNow() {
    var board = document.querySelector(".cal-board");
    if (!board) return;
    var now = board.querySelector(".cal-now");
    var row = now ? parseInt(now.dataset.row, 10) : 0;
    var first = board.querySelector(".cal-col");
    var target = first && nearest(items(first), row);
    if (target) target.focus();
  }

  function clickLink(selector) {
    var link = document.querySelector(selector);
    if (link) link.click();
  }

  function onKeydown(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    if (event.key === "g") { gAt = Date.now(); return; }
    if (gAt && Date.now() - gAt < G_MS) { gAt = 0; return; }
    var onBoard = event.target.closest && event.target.closest(".cal-slot, .cal-card");
    if (onBoard && /^Arrow/.test(event.key)) {
      if (moveFocus(onBoard, event.key)) event.preventDefault();
      return;
    }
    if (onBoard && event.key === "b" && onBoard.classList.contains("cal-slot")) {
      event.preventDefault();
      onBoard.click();
      return;
    }
    var actions = {
      t: "[data-key-today]", n: "[data-key-next]", p: "[data-key-previous]",
      f: "[data-key-find]", w: "[data-key-waitlist]",
    };
    if (actions[event.key] && document.querySelector(actions[event.key])) {
      event.preventDefault();
      clickLink(actions[event.key]);
    } else if (event.key === ".") {
      event.preventDefault();
      focusNow();
    } else if (event.key === "r" && document.querySelector(".cal-board")) {
      event.preventDefault();
      if (window.htmx) window.htmx.trigger(document.body, "calendar-changed");
    } else if (event.key === "d") {
      var picker = document.querySelector("[data-key-date]");
      if (picker) { event.preventDefault(); picker.focus(); }
    }
  }

  function onChange(event) {
    var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) {
      if (typeof field.form.requestSubmit === "function") field.form.requestSubmit();
      else field.form.submit();
    }
  }

  function init() {
    layout(document);
    scrollToNow(document.querySelector(".cal-board"));
    document.addEventListener("click", onClick);
    document.addEventListener("keydown", onKeydown);
    document.addEventListener("change", onChange);
    document.body.addEventListener("htmx:configRequest", onConfigRequest);
    document.body.addEventListener("htmx:beforeSwap", onBeforeSwap);
    document.body.addEventListener("htmx:afterSwap", onAfterSwap);
    document.body.addEventListener("htmx:afterSettle", onAfterSettle);
    var dialog = panel();
    if (dialog) dialog.addEventListener("close", onPanelClose);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
