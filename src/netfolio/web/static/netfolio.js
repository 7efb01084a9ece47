// netfolio's own small script: forms that save without a reload, confirmations, "go back".
// Every page works without it; with it, plan buttons update in place.
"use strict";

(function () {
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function announce(text) {
    var box = document.getElementById("live");
    if (!box) {
      box = document.createElement("p");
      box.id = "live";
      box.className = "flash";
      box.setAttribute("role", "status");
      var main = document.getElementById("main");
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = text;
  }

  // <form data-async> posts with fetch and expects JSON {message, state, action}.
  function asyncSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-async]")) return;
    event.preventDefault();
    var button = event.submitter;
    var data = new FormData(form);
    if (button && button.name) data.append(button.name, button.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-CSRF-Token": csrf(), "Accept": "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (!result.ok) throw new Error(result.body.detail || "That did not work.");
      var item = form.closest("[data-item]");
      if (item) {
        item.classList.add("settled");
        var state = item.querySelector(".state");
        if (state) state.textContent = result.body.state || "";
      }
      if (result.body.action === "done") {
        ["[data-this-week]", "[data-plan-done]"].forEach(function (selector) {
          var counter = document.querySelector(selector);
          if (counter) counter.textContent = String(Number(counter.textContent) + 1);
        });
      }
      announce(result.body.message || "Saved.");
    }).catch(function (error) {
      buttons.forEach(function (b) { b.disabled = false; });
      announce(error.message);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    asyncSubmit(event);
  });

  document.addEventListener("click", function (event) {
    var back = event.target.closest && event.target.closest("[data-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  // Selects marked data-autosubmit submit their form when changed (filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.requestSubmit();
  });
})();
