/* Patient registration and edit pages: "add another" / "remove" rows, the guarantor section,
   and the live duplicate check. Everything here is an enhancement: without it the page works as
   plain form posts (extra blank rows, "Remove" checkboxes, a "Find" button). No inline code. */
(function () {
  "use strict";

  var DUP_DELAY_MS = 150;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* ---- Formsets ------------------------------------------------------------------------- */
  function enhanceRow(row, section) {
    var box = row.querySelector("[data-formset-remove-box]");
    var checkbox = box && box.querySelector('input[type="checkbox"]');
    if (!checkbox || box.querySelector("button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn formset-remove-btn";
    button.textContent = "Remove";
    button.addEventListener("click", function () {
      checkbox.checked = true;
      row.classList.add("is-removed");
      var add = section.querySelector("[data-formset-add]");
      if (add) add.focus();
      checkbox.dispatchEvent(new Event("change", { bubbles: true }));
    });
    box.appendChild(button);
  }

  function addRow(section) {
    var total = section.querySelector('input[name$="-TOTAL_FORMS"]');
    var max = section.querySelector('input[name$="-MAX_NUM_FORMS"]');
    var template = section.querySelector("template[data-formset-template]");
    if (!total || !template) return;
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index)).trim();
    var row = holder.firstElementChild;
    section.querySelector("[data-formset-rows]").appendChild(row);
    total.value = String(index + 1);
    enhanceRow(row, section);
    var first = row.querySelector('input:not([type="hidden"]):not([type="checkbox"]), select');
    if (first) first.focus();
  }

  function initFormsets(form) {
    form.querySelectorAll("[data-formset]").forEach(function (section) {
      section.querySelectorAll("[data-formset-row]").forEach(function (row) {
        enhanceRow(row, section);
      });
      var add = section.querySelector("[data-formset-add]");
      if (!add) return;
      add.hidden = false;
      add.addEventListener("click", function () { addRow(section); });
    });
  }

  /* ---- Guarantor: self / a patient (look-up) / a responsible party ----------------------- */
  function initGuarantor(form) {
    var section = form.querySelector("[data-guarantor-section]");
    if (!section) return;
    var relationship = section.querySelector('select[name="guarantor_relationship"]');
    var other = section.querySelector("[data-guarantor-other]");
    var patientPart = section.querySelector("[data-guarantor-patient]");
    var partyPart = section.querySelector("[data-guarantor-party]");
    var kinds = section.querySelectorAll('input[name="guarantor_kind"]');
    var hidden = section.querySelector('input[name="guarantor"]');
    var label = section.querySelector("[data-guarantor-label]");
    var query = section.querySelector("[data-guarantor-query]");
    var hits = section.querySelector("#guarantor-hits");

    function kind() {
      var checked = section.querySelector('input[name="guarantor_kind"]:checked');
      return checked ? checked.value : "patient";
    }
    function sync() {
      other.hidden = relationship.value === "self";
      patientPart.hidden = kind() !== "patient";
      partyPart.hidden = kind() !== "party";
    }
    relationship.addEventListener("change", sync);
    kinds.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();

    if (!window.htmx || !query) return; /* the "Find" button posts the page instead */
    section.addEventListener("click", function (event) {
      var pick = event.target.closest("[data-guarantor-pick]");
      if (pick) {
        event.preventDefault();
        hidden.value = pick.value;
        label.textContent = "Chosen: " + pick.getAttribute("data-label");
        hits.innerHTML = "";
        query.value = "";
        query.focus();
        return;
      }
      if (event.target.closest("[data-guarantor-find]")) {
        event.preventDefault();
        window.htmx.trigger(query, "search");
      }
    });
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); /* Enter searches here; it does not save the form */
        window.htmx.trigger(query, "search");
      } else if (event.key === "ArrowDown") {
        var first = hits.querySelector("[data-guarantor-pick]");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
  }

  /* ---- Live duplicate check: name, date of birth and phones, before Save ----------------- */
  function initDuplicateCheck(form) {
    var url = form.getAttribute("data-dup-check-url");
    var panel = form.querySelector("[data-dup-panel]");
    if (!url || !panel || !window.fetch) return;
    var timer = null;
    var sequence = 0;

    function run() {
      var body = new FormData();
      form.querySelectorAll("[data-dup-check]").forEach(function (input) {
        if (input.name && !input.closest(".is-removed")) body.append(input.name, input.value);
      });
      var mine = ++sequence;
      window.fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null || mine !== sequence) return;
        var old = panel.querySelector("[data-dup-confirm]");
        var kept = old && old.checked ? old.value : null;
        panel.innerHTML = html;
        var fresh = panel.querySelector("[data-dup-confirm]");
        if (fresh && kept === fresh.value) fresh.checked = true;
      }).catch(function () { /* the save still checks */ });
    }

    form.addEventListener("change", function (event) {
      var target = event.target;
      var relevant = target.matches("[data-dup-check]") || target.name && /-DELETE$/.test(target.name);
      if (!relevant) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DUP_DELAY_MS);
    });

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name !== "save") return;
      var box = form.querySelector("[data-dup-confirm]");
      if (box && !box.checked) {
        event.preventDefault();
        box.closest(".dup-confirm").classList.add("is-needed");
        box.focus();
      }
    });
  }

  function init() {
    document.querySelectorAll("form[data-patient-form]").forEach(function (form) {
      form.classList.add("is-enhanced");
      initFormsets(form);
      initGuarantor(form);
      initDuplicateCheck(form);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
