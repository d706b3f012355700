/* The queue page (templates/tickets/queue.html); it works without this script.
   - "Select all" and the count of selected tickets in the bulk bar.
   - The tickets listed are remembered for this tab, so the ticket page offers the next and
     previous ones (j / k there).
   - The results region refreshes every 30 s (htmx, event `queue-refresh`) while the tab is
     visible, unless a ticket is selected or the focus is inside the results, so a refresh
     never drops a tick or moves the keyboard. */
(function () {
  "use strict";

  function region() {
    return document.getElementById("queue-results");
  }

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll("#queue-results input[name=ids]"));
  }

  function showSelection() {
    var all = boxes();
    var chosen = all.filter(function (box) { return box.checked; }).length;
    var count = document.querySelector("[data-selected-count]");
    var selectAll = document.querySelector("[data-select-all]");
    if (count) {
      var words = document.getElementById("bulk-form").getAttribute("data-selected-words") || "(%s)";
      count.textContent = chosen ? words.replace("%s", chosen) : "";
    }
    if (selectAll) {
      selectAll.hidden = all.length === 0;
      selectAll.checked = all.length > 0 && chosen === all.length;
      selectAll.indeterminate = chosen > 0 && chosen < all.length;
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-select-all]")) {
      boxes().forEach(function (box) { box.checked = target.checked; });
    }
    if (target.matches("[data-select-all], #queue-results input[name=ids]")) showSelection();
  });
  // The list as shown, for the ticket page's j / k (next and previous in this list; ticket-page.js).
  function remember() {
    var links = document.querySelectorAll("#queue-results [data-row] a[href]");
    var tickets = Array.prototype.map.call(links, function (link) { return link.getAttribute("href"); });
    try {
      window.sessionStorage.setItem("queue-list", JSON.stringify({ url: location.pathname + location.search, tickets: tickets }));
    } catch (error) { /* storage refused: the ticket page simply offers no next/previous */ }
  }

  document.addEventListener("htmx:afterSettle", function () { showSelection(); remember(); });
  document.addEventListener("DOMContentLoaded", function () { showSelection(); remember(); });

  function mayRefresh() {
    var results = region();
    if (!results || document.visibilityState !== "visible") return false;
    if (boxes().some(function (box) { return box.checked; })) return false;
    if (results.contains(document.activeElement)) return false;
    return !results.classList.contains("htmx-request");
  }

  function refresh() {
    if (mayRefresh() && window.htmx) window.htmx.trigger(region(), "queue-refresh");
  }

  var seconds = Number((region() && region().getAttribute("data-refresh-seconds")) || 30);
  var last = Date.now();
  window.setInterval(function () {
    if (Date.now() - last >= seconds * 1000 && mayRefresh()) {
      last = Date.now();
      refresh();
    }
  }, 1000);
  // Back on the tab after a while: bring the list up to date at once.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && Date.now() - last >= seconds * 1000) {
      last = Date.now();
      refresh();
    }
  });
})();
