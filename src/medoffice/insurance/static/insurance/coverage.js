/* Coverage page: take a card picture with the desk camera. The snapshot is posted as a
   data:image/jpeg URL (the server decodes and re-encodes it); without a camera or JavaScript
   the file picker still works. */
(function () {
  "use strict";

  function setUpCamera(form) {
    var button = form.querySelector("[data-camera]");
    var box = form.querySelector(".ins-camera");
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
      var data = new FormData();
      data.set("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      data.set("source", "webcam");
      data.set("data_url", canvas.toDataURL("image/jpeg", 0.9));
      stop();
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" } })
        .then(function () { window.location.reload(); });
    });
  }

  function start() {
    document.querySelectorAll("form[data-card-capture]").forEach(setUpCamera);
    document.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
