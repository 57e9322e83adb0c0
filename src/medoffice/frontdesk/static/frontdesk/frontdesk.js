/* Front desk pages: filter today's list in the page (names never go into a URL), move with the
   arrow keys, submit location pickers, and capture card pictures with the desk camera. */
(function () {
  "use strict";

  function rowsOf(list) {
    return Array.prototype.slice.call(list.querySelectorAll(".desk-row"));
  }

  function visibleRows(list) {
    return rowsOf(list).filter(function (row) { return !row.hidden; });
  }

  function setUpFilter(input) {
    var list = document.querySelector(input.getAttribute("data-desk-filter"));
    if (!list) { return; }
    var none = document.querySelector(".desk-no-match");
    var current = -1;
    function mark(index) {
      var rows = visibleRows(list);
      rows.forEach(function (row) { row.classList.remove("is-active"); });
      current = Math.max(-1, Math.min(index, rows.length - 1));
      if (current >= 0) {
        rows[current].classList.add("is-active");
        rows[current].scrollIntoView({ block: "nearest" });
      }
    }
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rowsOf(list).forEach(function (row) {
        var text = row.getAttribute("data-search") || "";
        var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      list.querySelectorAll(".desk-provider").forEach(function (section) {
        section.hidden = section.querySelectorAll(".desk-row:not([hidden])").length === 0;
      });
      if (none) { none.hidden = shown !== 0; }
      mark(words.length ? 0 : -1);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { mark(current + 1); event.preventDefault(); }
      if (event.key === "ArrowUp") { mark(current - 1); event.preventDefault(); }
      if (event.key === "Enter") {
        var rows = visibleRows(list);
        var row = rows[current >= 0 ? current : 0];
        var action = row && row.querySelector("[data-row-action]");
        if (action) { event.preventDefault(); action.click(); }
      }
    });
    document.addEventListener("keydown", function (event) {
      var tag = (event.target && event.target.tagName) || "";
      if (event.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(tag)) {
        event.preventDefault();
        event.stopPropagation();
        input.focus();
      }
    }, true);
  }

  function setUpCamera(form) {
    var button = form.querySelector("[data-camera]");
    var box = form.querySelector(".desk-camera");
    if (!button || !box || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    var video = box.querySelector("video");
    var stream = null;
    button.hidden = false;
    function stop() {
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
      stream = null;
      box.hidden = true;
    }
    button.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1600 } }, audio: false })
        .then(function (s) { stream = s; video.srcObject = s; box.hidden = false; return video.play(); })
        .catch(function () { button.textContent = "Camera not available"; button.disabled = true; });
    });
    box.querySelector("[data-camera-stop]").addEventListener("click", stop);
    box.querySelector("[data-snap]").addEventListener("click", function () {
      var canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob(function (blob) {
        var data = new FormData(form);
        data.set("source", "webcam");
        data.set("image", blob, "capture.jpg");
        stop();
        fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" } })
          .then(function () { window.location.reload(); });
      }, "image/jpeg", 0.9);
    });
  }

  function start() {
    document.querySelectorAll("[data-desk-filter]").forEach(setUpFilter);
    document.querySelectorAll("form[data-capture]").forEach(setUpCamera);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
