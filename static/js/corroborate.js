// Corroborate: small progressive enhancements. Every page works without this file.
"use strict";

// The interface's words in the reader's language, from Django's JavaScript catalogue
// (/jsi18n/, loaded before this file); English if it is missing.
var _ = window.gettext || function (text) { return text; };
var fill = window.interpolate || function (text, values) {
  return text.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name]; });
};

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

// A large file on the evidence form goes in resumable parts (the tus protocol, served at
// /api/v1/uploads/): a dropped connection or a closed laptop resumes where it stopped,
// also after the page is opened again (the upload's address is kept in localStorage).
// Once all of it is in, the form is sent with the upload's id instead of the file.
function enhanceResumableUploads() {
  document.querySelectorAll("form[data-resumable]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var hidden = form.querySelector("input[name=upload]");
    var box = form.querySelector(".upload-progress");
    if (!input || !hidden || !box || !window.fetch || !window.localStorage) return;
    var csrf = (form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
    var PART = 8 * 1024 * 1024;
    var LARGE = 4 * 1024 * 1024;
    var busy = false;

    function show(text, value, failed) {
      box.hidden = false;
      box.querySelector("span").textContent = text;
      if (value !== null) box.querySelector("progress").value = value;
      box.classList.toggle("failed", !!failed);
    }
    function headers(extra) {
      var all = { "Tus-Resumable": "1.0.0", "X-CSRFToken": csrf };
      Object.keys(extra).forEach(function (k) { all[k] = extra[k]; });
      return all;
    }
    function base64(text) { return btoa(unescape(encodeURIComponent(text))); }
    function investigation() {
      var field = form.elements.investigation;
      return (field && field.value) || form.dataset.investigation || "";
    }
    function key(file) {
      return "corroborate-upload:" + [file.name, file.size, file.lastModified, investigation()].join(":");
    }
    function wait(ms) { return new Promise(function (done) { window.setTimeout(done, ms); }); }
    function refused(detail) { return { refused: detail || _("The upload was refused.") }; }

    function create(file) {
      return fetch(form.dataset.resumable, {
        method: "POST", credentials: "same-origin",
        headers: headers({
          "Upload-Length": String(file.size),
          "Upload-Metadata": "investigation " + base64(investigation()) + ",filename " + base64(file.name)
        })
      }).then(function (response) {
        return response.json().then(function (body) {
          if (response.status !== 201) throw refused(body.detail);
          var url = response.headers.get("Location");
          localStorage.setItem(key(file), url);
          return { url: url, offset: 0 };
        });
      });
    }
    function ask(url) {
      return fetch(url, { method: "HEAD", credentials: "same-origin", headers: headers({}) })
        .then(function (response) {
          if (response.status !== 200) throw refused(_("The earlier upload is gone."));
          return { url: url, offset: parseInt(response.headers.get("Upload-Offset"), 10) };
        });
    }
    function finish(file, url) {
      return fetch(url, { credentials: "same-origin", headers: headers({}) })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          localStorage.removeItem(key(file));
          if (body.state !== "complete") throw refused(body.reason);
          return body.id;
        });
    }
    function parts(file, url, offset, failures) {
      var percent = Math.floor(100 * offset / file.size);
      show(fill(_("Sending %(name)s: %(percent)s%"), { name: file.name, percent: percent }, true), percent, false);
      if (offset >= file.size) return finish(file, url);
      var end = Math.min(offset + PART, file.size);
      return fetch(url, {
        method: "PATCH", credentials: "same-origin",
        headers: headers({ "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset) }),
        body: file.slice(offset, end)
      }).then(function (response) {
        if (response.status === 204) {
          return parts(file, url, parseInt(response.headers.get("Upload-Offset"), 10), 0);
        }
        return response.json().then(function (body) {
          if (response.status === 409 || response.status === 423 || response.status >= 500) {
            throw new Error("retry");
          }
          localStorage.removeItem(key(file));
          throw refused(body.detail);
        });
      }).catch(function (problem) {
        if (problem && problem.refused) throw problem;
        if (failures >= 10) {
          throw refused(_("The connection keeps failing. What was sent is kept: send the form again later to go on."));
        }
        show(fill(_("Connection lost at %(percent)s%; resuming…"), { percent: percent }, true), null, false);
        return wait(Math.min(30000, 500 * Math.pow(2, failures))).then(function () {
          return ask(url).then(
            function (state) { return parts(file, url, state.offset, failures + 1); },
            function () { return parts(file, url, offset, failures + 1); }
          );
        });
      });
    }

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      if (busy) { event.preventDefault(); return; }
      if (!file || file.size <= LARGE || hidden.value) return;
      event.preventDefault();
      busy = true;
      var saved = localStorage.getItem(key(file));
      var start = saved ? ask(saved).catch(function () { return create(file); }) : create(file);
      start.then(function (state) { return parts(file, state.url, state.offset, 0); })
        .then(function (id) {
          hidden.value = id;
          input.value = "";
          show(_("Sent. Saving the evidence…"), 100, false);
          form.submit();
        })
        .catch(function (problem) {
          busy = false;
          show((problem && problem.refused) || String(problem), null, true);
        });
    });
  });
}

// @mentions: after an @ in a comment, suggest the investigation's members (from the
// page's <datalist id="mention-members">); arrows choose, Enter or Tab takes, Escape closes.
function enhanceMentions() {
  var source = document.getElementById("mention-members");
  if (!source) return;
  var members = Array.prototype.map.call(source.options, function (o) {
    return { name: o.value, label: o.textContent };
  });
  document.querySelectorAll("textarea[data-mentions]").forEach(function (area, n) {
    var list = document.createElement("ul");
    list.className = "mention-suggestions";
    list.id = "mention-suggestions-" + n;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", _("Members to mention"));
    list.hidden = true;
    area.insertAdjacentElement("afterend", list);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    var active = 0, shown = [];

    function typed() {
      var before = area.value.slice(0, area.selectionStart);
      var match = /(^|[^\w@.+-])@([\w.+-]*)$/u.exec(before);
      return match ? match[2] : null;
    }
    function close() { list.hidden = true; shown = []; area.removeAttribute("aria-activedescendant"); }
    function render() {
      list.innerHTML = "";
      shown.forEach(function (member, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", String(i === active));
        item.textContent = "@" + member.name + (member.label !== member.name ? " (" + member.label + ")" : "");
        item.addEventListener("mousedown", function (event) { event.preventDefault(); take(member); });
        list.appendChild(item);
      });
      list.hidden = shown.length === 0;
      if (shown.length) area.setAttribute("aria-activedescendant", list.id + "-" + active);
    }
    function take(member) {
      var start = area.selectionStart;
      var before = area.value.slice(0, start).replace(/@[\w.+-]*$/u, "@" + member.name + " ");
      area.value = before + area.value.slice(start);
      area.selectionStart = area.selectionEnd = before.length;
      close();
      area.focus();
    }
    area.addEventListener("input", function () {
      var prefix = typed();
      if (prefix === null) return close();
      var folded = prefix.toLocaleLowerCase();
      shown = members.filter(function (m) {
        return m.name.toLocaleLowerCase().indexOf(folded) === 0 ||
          m.label.toLocaleLowerCase().indexOf(folded) !== -1;
      }).slice(0, 8);
      active = 0;
      render();
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
        render();
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        take(shown[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    area.addEventListener("blur", close);
  });
}

document.addEventListener("DOMContentLoaded", function () {
  enhanceMentions();
  enhanceResumableUploads();
  watchBackgroundWork();
  enhanceAutosubmit();
  enhanceReveal();
  enhanceFormsets();
  enhanceTagInputs();
});
