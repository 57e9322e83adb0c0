/* medoffice shell behaviour: keyboard shortcuts, toasts, dialogs. No framework, no inline code. */
(function () {
  "use strict";

  var TOAST_MS = 6000;
  var G_TIMEOUT_MS = 1500;

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function openDialog(dialog) {
    if (dialog && !dialog.open && typeof dialog.showModal === "function") dialog.showModal();
  }

  /* ---- Toasts: dismiss on click, auto-dismiss after a pause (paused while hovered or focused). */
  function dismissToast(toast) {
    if (!toast || toast.classList.contains("is-leaving")) return;
    toast.classList.add("is-leaving");
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    window.setTimeout(function () { toast.remove(); }, reduce ? 0 : 220);
  }

  function scheduleToast(toast) {
    var timer = null;
    function start() { timer = window.setTimeout(function () { dismissToast(toast); }, TOAST_MS); }
    function stop() { if (timer) window.clearTimeout(timer); timer = null; }
    toast.addEventListener("mouseenter", stop);
    toast.addEventListener("mouseleave", start);
    toast.addEventListener("focusin", stop);
    toast.addEventListener("focusout", start);
    start();
  }

  function initToasts(root) {
    root.querySelectorAll("[data-toast]").forEach(function (toast) {
      if (toast.dataset.toastReady) return;
      toast.dataset.toastReady = "1";
      if (toast.classList.contains("toast-error")) return; /* errors stay until dismissed */
      scheduleToast(toast);
    });
  }

  /* ---- Global search: inert until the patient registry wires it. */
  function initSearch() {
    var form = document.querySelector("[data-inert-search]");
    if (!form) return;
    var input = form.querySelector("input[type=search]");
    var hint = form.querySelector(".search-hint");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    if (input && hint) {
      input.addEventListener("focus", function () { hint.hidden = false; });
      input.addEventListener("blur", function () { hint.hidden = true; });
    }
  }

  /* ---- Keyboard shortcuts: "/" search, "g" + key navigate, "?" help, Esc close. */
  var gPending = false;
  var gTimer = null;

  function setG(on) {
    gPending = on;
    document.body.classList.toggle("g-pending", on);
    if (gTimer) window.clearTimeout(gTimer);
    if (on) gTimer = window.setTimeout(function () { setG(false); }, G_TIMEOUT_MS);
  }

  function onKeydown(event) {
    if (event.key === "Escape") {
      var menu = document.querySelector("details.user-menu[open]");
      if (menu) { menu.open = false; menu.querySelector("summary").focus(); }
      setG(false);
      return; /* <dialog> closes itself on Esc */
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (document.querySelector("dialog[open]")) return;

    if (gPending) {
      setG(false);
      var link = document.querySelector('[data-nav-key="' + CSS.escape(event.key) + '"]');
      if (link) { event.preventDefault(); window.location.assign(link.href); }
      return;
    }
    if (event.key === "/") {
      var search = document.getElementById("global-search");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (event.key === "?") {
      event.preventDefault();
      openDialog(document.getElementById("shortcuts-dialog"));
    } else if (event.key === "g" && document.querySelector("[data-nav-key]")) {
      setG(true);
    }
  }

  function onClick(event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) return;
    var close = target.closest("[data-toast-close]");
    if (close) { dismissToast(close.closest("[data-toast]")); return; }
    if (target.closest("[data-open-shortcuts]")) {
      var menu = document.querySelector("details.user-menu[open]");
      if (menu) menu.open = false;
      openDialog(document.getElementById("shortcuts-dialog"));
      return;
    }
    var dialogClose = target.closest("[data-dialog-close]");
    if (dialogClose) { dialogClose.closest("dialog").close(); return; }
    if (target.tagName === "DIALOG") { target.close(); return; } /* click on the backdrop */
    var openMenu = document.querySelector("details.user-menu[open]");
    if (openMenu && !openMenu.contains(target)) openMenu.open = false;
  }

  function init() {
    initToasts(document);
    initSearch();
    document.addEventListener("keydown", onKeydown);
    document.addEventListener("click", onClick);
    /* Toasts arriving in htmx swaps get the same treatment. */
    document.body.addEventListener("htmx:afterSettle", function (event) { initToasts(event.target || document); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
