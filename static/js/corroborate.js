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

document.addEventListener("DOMContentLoaded", function () {
  enhanceAutosubmit();
  enhanceReveal();
  enhanceFormsets();
  enhanceTagInputs();
});
