// Intake forms on the kiosk and the secure link: conditional questions and the signature pad.
// No inline script (the CSP allows only 'self'); everything is wired by data attributes.
(function () {
  "use strict";

  function answerOf(form, key) {
    var inputs = form.querySelectorAll('[name="q-' + key + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.type === "checkbox" && input.value === "on" ? "yes" : input.value);
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function updateConditions(form) {
    form.querySelectorAll("[data-show-if-key]").forEach(function (field) {
      var key = field.getAttribute("data-show-if-key");
      var wanted = (field.getAttribute("data-show-if-value") || "").trim().toLowerCase();
      var parent = form.querySelector('[data-question="' + key + '"]');
      var parentShown = !parent || !parent.hidden;
      var shown = parentShown && answerOf(form, key).some(function (v) {
        return v.trim().toLowerCase() === wanted;
      });
      field.hidden = !shown;
      field.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !shown; });
    });
  }

  function setupPad(box) {
    var canvas = box.querySelector("[data-signature-pad]");
    var value = box.querySelector("[data-signature-value]");
    var clear = box.querySelector("[data-signature-clear]");
    if (!canvas || !value) return;
    var ctx = canvas.getContext("2d");
    var drawing = false, drawn = false, last = null;
    ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#111";

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - rect.left) * (canvas.width / rect.width),
        y: (event.clientY - rect.top) * (canvas.height / rect.height)
      };
    }
    function save() { value.value = drawn ? canvas.toDataURL("image/png") : ""; }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true; last = point(event);
      if (canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = point(event);
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      last = p; drawn = true;
      event.preventDefault();
    });
    function stop() { if (drawing) { drawing = false; save(); } }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointerleave", stop);
    canvas.addEventListener("pointercancel", stop);
    if (clear) clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; save();
    });
  }

  function setupKinds(box) {
    function update() {
      var chosen = box.querySelector("[data-sign-kind]:checked");
      var kind = chosen ? chosen.value : "drawn";
      box.querySelectorAll("[data-sign-panel]").forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-sign-panel") !== kind;
      });
    }
    box.querySelectorAll("[data-sign-kind]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-fill-form]");
    if (form) {
      updateConditions(form);
      form.addEventListener("change", function () { updateConditions(form); });
      form.addEventListener("input", function () { updateConditions(form); });
    }
    document.querySelectorAll("[data-signature]").forEach(function (box) { setupPad(box); setupKinds(box); });
    var first = document.querySelector("[data-focus-first]");
    if (first) first.focus();
  });
})();
