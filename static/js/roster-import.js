/* A roster import's page while it runs: ask for its progress every two seconds, show it,
   and reload the page once the import is done (the page then shows what it changed).
   Without JavaScript the page has a "refresh" link. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-roster-progress]");
    if (!section || !window.fetch) return;
    var text = section.querySelector("[data-progress-text]");
    var bar = section.querySelector("[data-progress-bar]");
    function poll() {
      window.fetch(section.dataset.rosterProgress, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) return window.setTimeout(poll, 5000);
          if (!state.in_progress) return window.location.reload();
          if (text.textContent !== state.message) text.textContent = state.message;
          bar.value = state.percent;
          bar.textContent = state.percent + "%";
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 2000);
  });
})();
