/* The ticket page: who else is here (polled by htmx), saved replies and article links inserted in place,
   and the keyboard shortcuts' landing spots. The page works without it. */
(function () {
  "use strict";

  // Presence: htmx polls while the page is visible; a hidden tab asks nothing.
  document.addEventListener("htmx:confirm", function (event) {
    if (event.target.id === "presence" && document.visibilityState !== "visible") event.preventDefault();
  });
  document.addEventListener("visibilitychange", function () {
    var banner = document.getElementById("presence");
    if (banner && document.visibilityState === "visible" && window.htmx) window.htmx.trigger(banner, "presence-poll");
  });

  // Next and previous in the list the technician came from (queue.js remembers it): links
  // with j / k, shown only when this ticket is in that list.
  (function queueNeighbours() {
    var nav = document.getElementById("queue-nav");
    var list;
    try { list = JSON.parse(window.sessionStorage.getItem("queue-list") || "null"); } catch (error) { list = null; }
    if (!nav || !list || !list.tickets) return;
    var here = list.tickets.indexOf(location.pathname);
    if (here < 0) return;
    function link(href, key, label) {
      var a = document.createElement("a");
      a.href = href;
      a.className = "btn btn-outline-secondary btn-sm";
      a.textContent = label;
      a.setAttribute("data-key", key);
      a.setAttribute("data-key-label", label);
      return a;
    }
    var back = link(list.url, "u", nav.getAttribute("data-back-label"));
    nav.appendChild(back);
    if (here > 0) nav.appendChild(link(list.tickets[here - 1], "k", nav.getAttribute("data-previous-label")));
    if (here < list.tickets.length - 1) nav.appendChild(link(list.tickets[here + 1], "j", nav.getAttribute("data-next-label")));
    nav.hidden = false;
  })();

  var composer = document.getElementById("composer");
  if (!composer) return;
  var box = composer.querySelector("textarea[name=body]");
  var state = document.getElementById("presence-state");

  function replying() {
    if (state) state.value = box.value.trim() || document.activeElement === box ? "replying" : "viewing";
  }
  box.addEventListener("input", replying);
  box.addEventListener("focus", replying);
  box.addEventListener("blur", replying);

  // r / n (shortcuts.js clicks the switch): choose the kind, then write.
  composer.querySelectorAll("input[name=kind]").forEach(function (radio) {
    radio.addEventListener("click", function (event) {
      if (!event.isTrusted) box.focus();
    });
  });

  // s: open the resolve form and put the cursor in it.
  document.querySelectorAll("details > summary[data-key]").forEach(function (summary) {
    summary.addEventListener("click", function (event) {
      if (event.isTrusted) return;
      window.setTimeout(function () {
        var field = summary.parentElement.querySelector("textarea, input:not([type=hidden]), select");
        if (summary.parentElement.open && field) field.focus();
      }, 0);
    });
  });

  // What a picker adds goes in at the cursor, after a blank line, and is announced.
  var status = document.getElementById("composer-status");
  function putAtCursor(text, picker) {
    var start = box.selectionStart, end = box.selectionEnd, value = box.value;
    var before = value.slice(0, start), after = value.slice(end);
    var joint = before && !/\n$/.test(before) ? "\n\n" : "";
    box.value = before + joint + text + after;
    var caret = (before + joint + text).length;
    box.focus();
    box.setSelectionRange(caret, caret);
    if (status) status.textContent = composer.dataset.inserted + " " + picker.options[picker.selectedIndex].text;
    picker.value = "";
    replying();
  }

  // Saved replies: the chosen one, filled in for this ticket.
  var picker = composer.querySelector("select[name=saved_reply]");
  var insert = composer.querySelector(".composer-insert");
  function fill(event) {
    event.preventDefault();
    var url = composer.dataset.fillUrl + picker.value + "/fill/?ticket=" + composer.dataset.ticket;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) { putAtCursor(data.body, picker); })
      .catch(function () {
        insert.click(); // the page without script does it on the server
      });
  }
  if (picker && insert) insert.addEventListener("click", function (event) {
    if (event.isTrusted && picker.value) fill(event);
  });

  // Help articles: the link written as the server writes it (data-article-link), no request needed.
  var articles = composer.querySelector("select[name=article]");
  var link = composer.querySelector(".composer-insert-article");
  if (articles && link) link.addEventListener("click", function (event) {
    if (!articles.value) return; // the server says "choose one first"
    event.preventDefault();
    var title = articles.options[articles.selectedIndex].text;
    var text = composer.dataset.articleLink.replace("{id}", articles.value);
    putAtCursor(text.replace("{title}", function () { return title; }), articles);
  });
})();
