// Corroborate: small progressive enhancements. Every page works without this file.
"use strict";

// "Add another" for formsets: copy the row template, number it, bump TOTAL_FORMS.
function enhanceFormsets() {
  document.querySelectorAll("[data-formset]").forEach(function (formset) {
    var prefix = formset.dataset.formset;
    var total = formset.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = formset.querySelector("template");
    var button = formset.querySelector("[data-add-form]");
    if (!total || !template || !button) return;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      formset.querySelector(".formset-forms").insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = formset.querySelector(".formset-forms > :last-child input, .formset-forms > :last-child select");
      if (first) first.focus();
    });
  });
}

// Tag suggestions after each comma: offer "what you typed so far, <tag>".
function enhanceTagInputs() {
  document.querySelectorAll("input[list=tag-suggestions]").forEach(function (input) {
    var list = document.getElementById("tag-suggestions");
    var names = Array.prototype.map.call(list.options, function (o) { return o.value; });
    input.addEventListener("input", function () {
      var parts = input.value.split(",");
      var typed = parts.pop().trim().toLocaleLowerCase();
      var chosen = parts.map(function (p) { return p.trim().toLocaleLowerCase(); });
      var head = parts.length ? parts.map(function (p) { return p.trim(); }).join(", ") + ", " : "";
      list.innerHTML = "";
      names.forEach(function (name) {
        var key = name.toLocaleLowerCase();
        if (chosen.indexOf(key) === -1 && key.indexOf(typed) === 0) {
          var option = document.createElement("option");
          option.value = head + name;
          list.appendChild(option);
        }
      });
    });
  });
}

// Graphic previews are blurred until the viewer asks to see them.
function enhanceReveal() {
  document.querySelectorAll("[data-reveal]").forEach(function (button) {
    button.addEventListener("click", function () {
      button.closest(".graphic").classList.add("revealed");
      button.remove();
    });
  });
}

// The investigation switcher applies a choice at once; without script its button does.
function enhanceAutosubmit() {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    var button = select.form.querySelector("button");
    if (button) { button.hidden = true; }
    select.addEventListener("change", function () { select.form.submit(); });
  });
}

// Work in the background (a file's previews, a dossier being prepared): ask its state
// now and then, and reload the page when it changes, unless the person is typing.
function watchBackgroundWork() {
  document.querySelectorAll("[data-processing-url]").forEach(function (panel) {
    var url = panel.dataset.processingUrl;
    var shown = panel.dataset.processingState;
    var delay = 2000;
    function typing() {
      var active = document.activeElement;
      return active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.value;
    }
    function ask() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (status && status.state !== shown && !typing()) {
            window.location.reload();
            return;
          }
          if (!status || status.state === "queued" || status.state === "processing") {
            delay = Math.min(delay * 1.5, 15000);
            window.setTimeout(ask, delay);
          }
        })
        .catch(function () { window.setTimeout(ask, 15000); });
    }
    if (shown === "queued" || shown === "processing") window.setTimeout(ask, delay);
  });
}

document.addEventListener("DOMContentLoaded", function () {
  watchBackgroundWork();
  enhanceAutosubmit();
  enhanceReveal();
  enhanceFormsets();
  enhanceTagInputs();
});
