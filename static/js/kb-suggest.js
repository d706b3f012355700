/*
 * Self-help suggestions while filing a request.
 *
 * On a <form data-kb-suggest="/kb/suggest/"> with an input #id_title, typing (debounced
 * 300 ms) fetches a server-rendered, escaped HTML fragment of matching articles into the
 * aria-live region #kb-suggestions. "This solved it" POSTs to /kb/<id>/solved/, which
 * records the deflection and files nothing. Without JavaScript nothing here runs and the
 * form works as before. No inline script: loaded with <script src> (CSP-friendly).
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 300;
  var MIN_LENGTH = 3;

  var form = document.querySelector("form[data-kb-suggest]");
  if (!form || !window.fetch) {
    return;
  }
  var title = form.querySelector("#id_title");
  if (!title) {
    return;
  }
  var url = form.getAttribute("data-kb-suggest") || "/kb/suggest/";
  var region = document.getElementById("kb-suggestions");
  if (!region) {
    region = document.createElement("div");
    region.id = "kb-suggestions";
    title.insertAdjacentElement("afterend", region);
  }
  region.setAttribute("aria-live", "polite");

  var timer = null;
  var controller = null;
  var lastQuery = null;
  var solved = false;

  function show(html) {
    // The fragment is our own template output, escaped by Django; <script> in
    // innerHTML never runs, and the CSP forbids inline handlers anyway.
    region.innerHTML = html;
  }

  function clear() {
    region.replaceChildren();
  }

  function fetchSuggestions() {
    var query = title.value.trim();
    if (query === lastQuery || solved) {
      return;
    }
    lastQuery = query;
    if (controller) {
      controller.abort();
    }
    if (query.length < MIN_LENGTH) {
      clear();
      return;
    }
    controller = new AbortController();
    var separator = url.indexOf("?") === -1 ? "?" : "&";
    fetch(url + separator + "q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: controller.signal,
    })
      .then(function (response) {
        // A redirect means the session ended: show nothing rather than a login page.
        return response.ok && !response.redirected ? response.text() : "";
      })
      .then(show)
      .catch(function (error) {
        if (error.name !== "AbortError") {
          clear();
        }
      });
  }

  title.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
  });

  region.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-kb-solved]");
    if (!button || !region.contains(button)) {
      return;
    }
    event.preventDefault();
    var holder = button.closest("[data-csrf]");
    var body = new FormData();
    body.append("q", title.value.trim());
    button.disabled = true;
    fetch(button.getAttribute("data-kb-solved"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": holder ? holder.getAttribute("data-csrf") : "",
        "X-Requested-With": "fetch",
      },
    })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error("not recorded");
        }
        return response.text();
      })
      .then(function (html) {
        solved = true;
        window.clearTimeout(timer);
        show(html);
      })
      .catch(function () {
        button.disabled = false;
      });
  });
})();
