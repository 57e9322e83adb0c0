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

  /* ---- Global patient search: a combobox over the dropdown HTMX fills as the desk types.
     Up/Down choose, Enter opens the chosen patient (the best one by default), Esc closes.
     Enter before any result is shown submits the form with go=1: the server opens the only or
     exact match, or lists them. */
  function initSearch() {
    var form = document.querySelector("[data-patient-search]");
    if (!form) return;
    var input = form.querySelector("input[role=combobox]");
    var panel = document.getElementById("global-search-results");
    var go = form.querySelector("[data-search-go]");
    var status = form.querySelector("[data-search-status]");
    if (!input || !panel) return;
    var active = -1;
    var stale = true; /* the panel does not show results for the text typed yet */

    function options() { return Array.prototype.slice.call(panel.querySelectorAll("[role=option]")); }
    function isOpen() { return !panel.hidden; }

    function setActive(index) {
      var list = options();
      if (!list.length) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
      active = (index + list.length) % list.length;
      list.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
        option.classList.toggle("is-active", i === active);
      });
      input.setAttribute("aria-activedescendant", list[active].id);
      if (list[active].scrollIntoView) list[active].scrollIntoView({ block: "nearest" });
    }

    function close() {
      panel.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (!panel.innerHTML.trim() || !input.value.trim()) { close(); return; }
      panel.hidden = false;
      input.setAttribute("aria-expanded", options().length ? "true" : "false");
      setActive(0);
    }

    function announce() {
      if (!status) return;
      var count = options().length;
      var note = panel.querySelector("[data-search-message]");
      if (count) status.textContent = count + (count === 1 ? " patient found" : " patients found");
      else status.textContent = note ? note.textContent.trim() : "";
    }

    function openOption(option) {
      var href = option && option.getAttribute("href");
      if (href) window.location.assign(href);
    }

    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target !== panel && !(event.detail && event.detail.target === panel)) return;
      stale = false;
      open();
      announce();
    });

    input.addEventListener("input", function () {
      stale = true;
      if (!input.value.trim()) close();
    });

    input.addEventListener("focus", function () {
      if (!stale && options().length) open();
    });

    input.addEventListener("keydown", function (event) {
      var list = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!list.length || stale) return;
        event.preventDefault();
        if (!isOpen()) { open(); return; }
        setActive(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter") {
        if (isOpen() && !stale && active >= 0 && list[active]) {
          event.preventDefault();
          openOption(list[active]);
        } else if (go) {
          go.value = "1"; /* let the form submit: the server opens the best match */
        }
      } else if (event.key === "Escape" && isOpen()) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });

    panel.addEventListener("mousemove", function (event) {
      var option = event.target.closest ? event.target.closest("[role=option]") : null;
      var index = options().indexOf(option);
      if (index >= 0 && index !== active) setActive(index);
    });

    panel.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest("[data-search-all]")) return;
      if (go) go.value = "";
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else form.submit();
    });

    document.addEventListener("click", function (event) {
      if (isOpen() && !form.contains(event.target)) close();
    });

    window.addEventListener("pageshow", function () { if (go) go.value = "1"; });
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
